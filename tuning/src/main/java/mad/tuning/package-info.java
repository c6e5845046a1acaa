/**
 * Tuning profiles: thread counts, idle strategies, CPU affinity and GC flags per deployment shape.
 */
package mad.tuning;
