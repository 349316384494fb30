//! Files out of a drop: plain files, and every file inside dropped folders.
//!
//! Browsers list a dropped folder as one empty "file"; its contents come from
//! the entries API (`webkitGetAsEntry`), read here recursively.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, File, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

/// Every file of a drop, folders walked recursively, in the order given.
pub async fn files_from_drop(dt: &DataTransfer) -> Vec<File> {
    let items = dt.items();
    let mut entries = Vec::new();
    for i in 0..items.length() {
        if let Some(entry) = items.get(i).and_then(|item| item.webkit_get_as_entry().ok().flatten()) {
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        // No entries API: take the file list as it is.
        let mut files = Vec::new();
        if let Some(list) = dt.files() {
            for i in 0..list.length() {
                files.extend(list.get(i));
            }
        }
        return files;
    }
    let mut files = Vec::new();
    let mut stack: Vec<FileSystemEntry> = entries.into_iter().rev().collect();
    while let Some(entry) = stack.pop() {
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            let mut children = read_all(&dir).await;
            children.sort_by_key(|e| e.name());
            stack.extend(children.into_iter().rev());
        } else if let Some(file) = file_of(entry.unchecked_into()).await {
            if !file.name().starts_with('.') {
                files.push(file);
            }
        }
    }
    files
}

/// A callback-style API as a promise: `f(resolve, reject)`.
async fn call(f: impl FnOnce(&Function, &Function)) -> Option<JsValue> {
    let mut f = Some(f);
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(f) = f.take() {
            f(&resolve, &reject);
        }
    });
    JsFuture::from(promise).await.ok()
}

async fn file_of(entry: FileSystemFileEntry) -> Option<File> {
    call(|resolve, reject| entry.file_with_callback_and_callback(resolve, reject)).await?.dyn_into().ok()
}

async fn read_all(dir: &FileSystemDirectoryEntry) -> Vec<FileSystemEntry> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    // readEntries returns at most 100 entries per call; an empty batch ends the folder.
    loop {
        let Some(batch) = call(|resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(resolve, reject);
        })
        .await
        else {
            break;
        };
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        all.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
    }
    all
}
