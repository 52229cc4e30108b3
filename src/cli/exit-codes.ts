// Exit codes fixed by the contract (CONTRACT.md §3).

/** The analysis ran (unreadable inputs are listed in sources[].problems). */
export const EXIT_OK = 0;
/** `--fail-on` matched. */
export const EXIT_FAIL_ON = 1;
/** Bad usage, or no readable input at all. */
export const EXIT_USAGE = 2;
/** doctor: a check failed; drill: the chain did not hold end to end; alert test: an endpoint did not take the alert. */
export const EXIT_CHECK_FAILED = 1;
