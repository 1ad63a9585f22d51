package dev.offload.schedule;

/** A schedule as stored by a put, and whether the put created it. */
public record PutResult(Schedule schedule, boolean created) {}
