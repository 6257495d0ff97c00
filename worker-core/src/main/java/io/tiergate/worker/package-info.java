/** Shared worker runtime used by local-worker and cloud-worker. */
package io.tiergate.worker;
