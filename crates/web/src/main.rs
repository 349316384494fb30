//! Entry point of the web page: mounts the app on `<body>` and nothing else.
//!
//! All page logic lives in the library (`slatelens_web`) so it can be tested
//! natively and in the browser.

fn main() {
    slatelens_web::mount();
}
