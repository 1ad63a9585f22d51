package dev.offload.task;

/** Result of an action on one task (cancel, retry, progress). */
public sealed interface ActionResult {
  record Done(Task task) implements ActionResult {}

  /** The task is in a state where the action does not apply. */
  record WrongState(Task task) implements ActionResult {}

  record NotFound() implements ActionResult {}
}
