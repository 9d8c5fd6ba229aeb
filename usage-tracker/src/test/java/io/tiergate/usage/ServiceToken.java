package io.tiergate.usage;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** The service token the test configuration gives the tracker, which every call that changes quota must carry. */
final class ServiceToken {

    static final String VALUE = "test-service-token";

    private ServiceToken() {}

    static RequestSpecification authorized() {
        return given().auth().oauth2(VALUE);
    }
}
