package io.tiergate.common.problem;

public record Problem(String title, int status) {}
