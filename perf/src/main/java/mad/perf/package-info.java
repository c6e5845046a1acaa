/**
 * JMH suites for every hot path and the side-by-side load harness against MAD 1.20.1.
 */
package mad.perf;
