"""Tools over the library: the transcript auditor, the known-answer vector checker, the benchmarks."""
