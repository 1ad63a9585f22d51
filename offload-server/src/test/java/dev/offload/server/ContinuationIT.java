package dev.offload.server;

/** The long-work protocol on the default store, SQLite. */
class ContinuationIT extends ContinuationChecks {}
