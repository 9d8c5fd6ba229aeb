package io.tiergate.transcription.engine;

/**
 * Whether an engine can take work.
 *
 * @param ready  whether it can
 * @param detail the model it loaded, or why it cannot run
 */
public record EngineStatus(boolean ready, String detail) {

    public static EngineStatus ready(String model) {
        return new EngineStatus(true, model);
    }

    public static EngineStatus broken(String why) {
        return new EngineStatus(false, why);
    }
}
