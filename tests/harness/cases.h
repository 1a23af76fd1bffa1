/* cases.h - every case of the harness; the table is in harness.c. */
#ifndef XERIAL_HARNESS_CASES_H
#define XERIAL_HARNESS_CASES_H

/* cases_lifecycle.c */
void case_meta_abi_version(void);
void case_meta_version(void);
void case_meta_code_names(void);
void case_meta_config_default(void);
void case_lifecycle_before_init(void);
void case_lifecycle_init_twice(void);
void case_lifecycle_url_rules(void);
void case_lifecycle_struct_size(void);
void case_lifecycle_null_config(void);
void case_lifecycle_copies_strings(void);
void case_lifecycle_base_url_slash(void);
void case_lifecycle_base_url_prefix(void);

/* cases_logout.c */
void case_logout_204_then_404(void);
void case_logout_http_errors(void);
void case_logout_429_retry_after(void);
void case_logout_refused(void);
void case_logout_timeout_hang(void);
void case_logout_drop(void);
void case_logout_odd_answers(void);
void case_logout_echo_redacted(void);
void case_args_not_logged_in(void);
void case_args_invalid_utf8(void);
void case_args_too_long(void);
void case_args_null_callback(void);
void case_session_logout_null(void);
void case_session_logout_own_token(void);
void case_session_get_buffer(void);
void case_session_set_malformed(void);
void case_session_path_persist(void);
void case_log_callback(void);
void case_log_off_race(void);

/* cases_dispatch.c */
void case_poll_deferred(void);
void case_poll_other_thread(void);
void case_poll_inside_callback(void);
void case_poll_max_callbacks(void);
void case_poll_new_request_in_callback(void);
void case_poll_serialised(void);
void case_poll_idle_cheap(void);
void case_immediate_dispatch(void);
void case_cancel_in_flight(void);
void case_cancel_before_sent(void);
void case_cancel_unknown(void);
void case_cancel_after_complete(void);
void case_cancel_queued_completion(void);
void case_cancel_from_callback(void);
void case_cancel_from_thread(void);
void case_cancel_race(void);
void case_shutdown_in_flight(void);
void case_shutdown_in_flight_immediate(void);
void case_shutdown_queued_real_result(void);
void case_shutdown_from_callback(void);
void case_shutdown_from_callback_immediate(void);
void case_shutdown_twice(void);
void case_shutdown_immediate_waits(void);
void case_shutdown_concurrent(void);
void case_ids_unique_reinit(void);
void case_stress_cycles_100(void);
void case_stress_concurrent_1000(void);
void case_stress_concurrent_immediate(void);
void case_ids_whole_run(void);

#endif
