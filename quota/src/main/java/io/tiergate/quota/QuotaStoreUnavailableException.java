package io.tiergate.quota;

/** Redis could not be reached, or did not answer in time. */
public class QuotaStoreUnavailableException extends RuntimeException {

    public QuotaStoreUnavailableException(String message) {
        super(message);
    }
}
