/**
 * The Java SDK of Offload, a self-hosted service for durable background tasks: {@link
 * dev.offload.client.OffloadClient} is the entry point. Depends on the JDK's HTTP client and
 * Jackson only.
 */
package dev.offload.client;
