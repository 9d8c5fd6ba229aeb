package io.tiergate.classification;

import static io.restassured.RestAssured.given;

/**
 * The model loads and the built-in tasks train in the background after start-up (90 s for the built-in ic-ooc task on
 * 2 cores); tests wait for readiness as the launcher and Kubernetes do, with room for a slower machine.
 */
public final class ModelReady {

    private ModelReady() {}

    public static void await() {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (given().when().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The classification pod did not become ready within 300 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
