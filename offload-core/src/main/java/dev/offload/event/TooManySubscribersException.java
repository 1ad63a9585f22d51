package dev.offload.event;

/** This node already serves as many event streams as it allows. */
public final class TooManySubscribersException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TooManySubscribersException(int max) {
    super("this node already serves " + max + " event streams, its maximum");
  }
}
