package io.tiergate.common.extraction;

import io.tiergate.common.classification.ChatTurn;
import java.util.ArrayList;
import java.util.List;

/** The chat prompt that has an LLM fill a JSON Schema from a text, and the repair prompt sent once when the answer is unusable. */
public final class ExtractionPrompt {

    private ExtractionPrompt() {}

    public static List<ChatTurn> build(ExtractionRequest request, ExtractionSchema schema) {
        String system = """
                You extract structured data from documents. Answer with one JSON object and nothing else. \
                The object must validate against the JSON Schema you are given and have every property the schema lists. \
                Take values only from the document. When the document does not state a value, use null: never guess, \
                infer or invent a value.""";
        StringBuilder user = new StringBuilder();
        if (request.documentType() != null && !request.documentType().isBlank()) {
            user.append("Document type: ").append(request.documentType().trim()).append("\n\n");
        }
        user.append("JSON Schema:\n").append(schema.original()).append("\n\n")
                .append("Properties to fill: ").append(String.join(", ", schema.propertyNames())).append("\n\n")
                .append("Document:\n<<<\n").append(request.text()).append("\n>>>");
        return List.of(ChatTurn.system(system), ChatTurn.user(user.toString()));
    }

    public static List<ChatTurn> repair(List<ChatTurn> prompt, String badAnswer, List<String> problems) {
        List<ChatTurn> turns = new ArrayList<>(prompt);
        turns.add(ChatTurn.assistant(badAnswer == null || badAnswer.isBlank() ? "(empty answer)" : badAnswer));
        turns.add(ChatTurn.user("Your answer could not be used:\n- " + String.join("\n- ", problems)
                + "\nAnswer again with one JSON object and nothing else that validates against the schema. "
                + "Use null for every value the document does not state."));
        return turns;
    }
}
