package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.problem.ProblemMappers;

/** Reads a task body into the shared request types, with a 400 problem naming the field when it does not fit. */
final class TaskBodies {

    private TaskBodies() {}

    static <T> T read(ObjectMapper mapper, ObjectNode json, Class<T> type) {
        try {
            return mapper.treeToValue(json, type);
        } catch (JsonMappingException e) {
            throw new ProblemException(ProblemMappers.problemOf(e));
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemMappers.malformedJson(e));
        }
    }
}
