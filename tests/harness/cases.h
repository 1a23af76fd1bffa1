/* cases.h - every case of the harness; the table is in harness.c. */
#ifndef XERIAL_HARNESS_CASES_H
#define XERIAL_HARNESS_CASES_H

/* heap.c */
void case_heap_serves_the_library(void);

/* cases_store.c */
void case_session_store_default(void);
void case_session_store_host(void);

/* cases_lifecycle.c */
void case_meta_abi_version(void);
void case_meta_version(void);
void case_meta_code_names(void);
void case_meta_config_init(void);
void case_lifecycle_config_layouts(void);
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

/* cases_signin.c */
void case_signin_google(void);
void case_signin_wallet_page(void);
void case_signin_refusals(void);

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

/* cases_session.c */
void case_login_google_ok(void);
void case_login_google_errors(void);
void case_login_wallet_ok(void);
void case_login_wallet_errors(void);
void case_refresh_ok(void);
void case_refresh_refused(void);
void case_bearer_expired_access(void);
void case_bearer_401_refresh_resend(void);
void case_bearer_401_twice(void);
void case_bearer_shared_refresh(void);
void case_bearer_expired_refresh(void);
void case_bearer_no_session(void);
void case_auth_listener(void);
void case_login_session_file(void);
void case_log_no_secrets(void);

/* cases_api.c */
void case_wallet_reads_ok(void);
void case_wallet_reads_errors(void);
void case_user_get_errors(void);
void case_custodial_ok(void);
void case_custodial_errors(void);
void case_market_ok(void);
void case_market_errors(void);
void case_request_ok(void);
void case_request_errors(void);
void case_request_auth_dot_segments(void);
void case_api_immediate(void);
void case_api_variants(void);

/* cases_tx.c */
void case_tx_primary_purchase(void);
void case_tx_transfer_nft(void);
void case_tx_transfer_token(void);
void case_tx_secondary_purchase(void);
void case_tx_list_delist(void);
void case_tx_custom(void);
void case_tx_errors(void);
void case_tx_non_custodial(void);
void case_tx_args(void);
void case_tx_never_retry(void);
void case_tx_outcome_unknown(void);

/* cases_transport.c */
void case_transport_request_shape(void);
void case_transport_failures(void);
void case_transport_answers(void);
void case_transport_handles(void);
void case_transport_deadline(void);
void case_transport_cancel_and_shutdown(void);
void case_transport_shutdown_inside_send(void);
void case_transport_config(void);
void case_signin_unavailable_without_threads(void);

#endif
