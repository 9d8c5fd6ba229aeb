package io.tiergate.common.problem;

/** Thrown anywhere a request must end with a given problem body. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException badField(String field, String detail) {
        return new ProblemException(Problem.badField(field, detail));
    }

    public Problem problem() {
        return problem;
    }
}
