package io.tiergate.common.classification;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One message of a chat prompt, independent of any client library: role is system, user or assistant. */
@RegisterForReflection
public record ChatTurn(String role, String content) {

    public static ChatTurn system(String content) {
        return new ChatTurn("system", content);
    }

    public static ChatTurn user(String content) {
        return new ChatTurn("user", content);
    }

    public static ChatTurn assistant(String content) {
        return new ChatTurn("assistant", content);
    }
}
