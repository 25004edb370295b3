# Live streams (issue 6): the line sources of core/io; `deepwb watch` end to end over UDP,
# TCP and a followed file; the streaming benchmark.
dw_add_test(test_line_sources LABELS io)
