package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.classification.ClassificationRequest;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.router.dispatch.RequestBody;

/**
 * A classification as routed: the body as sent (passed to pods unchanged), as read (for scoring), and as understood
 * (the task with its labels, for chat providers).
 *
 * @param localTierOnly the caller asked for the pod's local tier only, which chat providers cannot give
 */
public record ClassificationCall(RequestBody body, ObjectNode json, ClassificationRequest request, ClassificationTask task,
        boolean localTierOnly) {}
