//! RFC 6749 token-endpoint client shared by Virtuous and Virto.
//!
//! Filled in by the OAuth issue: grant requests (§4.3 password, §4.4 client
//! credentials, §6 refresh), §5.1 success and §5.2 error answers.
