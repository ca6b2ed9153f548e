//! Where the lines go: standard output or a file, buffered in whole lines.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};

/// Buffered lines are written out once they reach this many bytes.
const WRITE_AT: usize = 64 * 1024;

enum Destination {
    Stdout,
    File(File),
}

/// Lines are buffered here and written out whole, never split across two
/// writes, so that instances sharing standard output (several tasks) do not
/// cut into each other's lines.
pub struct Output {
    destination: Destination,
    pending: Vec<u8>,
}

impl Output {
    /// `-` is standard output; anything else a file, appended to so that a
    /// restart continues it instead of overwriting it.
    pub fn open(path: &str) -> io::Result<Self> {
        let destination = if path == "-" {
            Destination::Stdout
        } else {
            Destination::File(OpenOptions::new().append(true).create(true).open(path)?)
        };
        Ok(Output {
            destination,
            pending: Vec::with_capacity(WRITE_AT),
        })
    }

    /// Adds one line, which `write` appends without its newline.
    pub fn append_line(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        write(&mut self.pending);
        self.pending.push(b'\n');
        if self.pending.len() >= WRITE_AT {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Writes out every line and makes a file durable (fsync), so that the
    /// host may commit the offsets of what was written. Standard output is
    /// often a pipe or a terminal, which cannot be synced.
    pub fn flush(&mut self) -> io::Result<()> {
        self.write_pending()?;
        if let Destination::File(file) = &self.destination {
            file.sync_all()?;
        }
        Ok(())
    }

    fn write_pending(&mut self) -> io::Result<()> {
        match &mut self.destination {
            Destination::Stdout => {
                // Holding the lock keeps other instances' writes out.
                let mut stdout = io::stdout().lock();
                stdout.write_all(&self.pending)?;
                stdout.flush()?;
            }
            Destination::File(file) => file.write_all(&self.pending)?,
        }
        self.pending.clear();
        Ok(())
    }
}
