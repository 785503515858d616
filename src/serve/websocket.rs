//! The server side of RFC 6455, as little of it as live reload needs.
//!
//! The server sends unmasked text frames and control frames; it reads the
//! client's (masked) frames only to answer pings, notice pongs and honour a
//! close, and throws everything else away. No extensions, no subprotocols,
//! no fragmented messages from the server. All pure functions over bytes.

/// Frame opcodes (RFC 6455 §5.2).
pub(super) mod opcode {
    pub(in crate::serve) const CONTINUATION: u8 = 0x0;
    pub(in crate::serve) const TEXT: u8 = 0x1;
    pub(in crate::serve) const BINARY: u8 = 0x2;
    pub(in crate::serve) const CLOSE: u8 = 0x8;
    pub(in crate::serve) const PING: u8 = 0x9;
    pub(in crate::serve) const PONG: u8 = 0xA;
}

/// The largest client frame we read; the client has nothing to send but
/// control frames (at most 125 bytes), so this is generous.
const MAX_PAYLOAD: usize = 64 * 1024;

/// The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key`
/// (RFC 6455 §4.2.2): base64 of the SHA-1 of the key and a fixed GUID.
pub(super) fn accept_key(key: &str) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key.as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    crate::base64::encode(&sha.digest().bytes())
}

/// Whether a `Sec-WebSocket-Key` has the required shape: base64 of 16
/// bytes, which is 22 characters and `==`.
pub(super) fn is_valid_key(key: &str) -> bool {
    key.len() == 24
        && key.ends_with("==")
        && key[..22]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// One unfragmented, unmasked frame from the server.
pub(super) fn encode(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(payload.len() + 10);
    frame.push(0x80 | opcode);
    match payload.len() {
        len @ 0..=125 => frame.push(len as u8),
        len @ 126..=0xFFFF => {
            frame.push(126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            frame.push(127);
            frame.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    frame
}

/// A frame from the client, unmasked.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Frame {
    pub(super) opcode: u8,
    pub(super) payload: Vec<u8>,
}

/// Why the client's frames cannot be read; the connection is closed with
/// the given status code (RFC 6455 §7.4.1).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum FrameError {
    /// A protocol error (1002): unmasked client frame, reserved bits or
    /// opcode, oversized or fragmented control frame.
    Protocol,
    /// A frame too big for us to read (1009).
    TooBig,
}

impl FrameError {
    /// The close status code that reports this error.
    pub(super) fn status(&self) -> u16 {
        match self {
            Self::Protocol => 1002,
            Self::TooBig => 1009,
        }
    }
}

/// Reads one client frame from the front of `buf`: the frame and the bytes
/// it used, `Ok(None)` when more bytes are needed.
pub(super) fn decode(buf: &[u8]) -> Result<Option<(Frame, usize)>, FrameError> {
    let [first, second, ..] = *buf else {
        return Ok(None);
    };
    let fin = first & 0x80 != 0;
    let opcode = first & 0x0F;
    if first & 0x70 != 0 {
        return Err(FrameError::Protocol);
    }
    let is_control = opcode >= 0x8;
    let known = matches!(
        opcode,
        opcode::CONTINUATION
            | opcode::TEXT
            | opcode::BINARY
            | opcode::CLOSE
            | opcode::PING
            | opcode::PONG
    );
    // Clients must mask every frame (RFC 6455 §5.1).
    if !known || second & 0x80 == 0 || (is_control && !fin) {
        return Err(FrameError::Protocol);
    }
    let (len, mut at) = match second & 0x7F {
        126 => match buf.get(2..4) {
            Some(b) => (u64::from(u16::from_be_bytes([b[0], b[1]])), 4),
            None => return Ok(None),
        },
        127 => match buf.get(2..10) {
            Some(b) => (u64::from_be_bytes(b.try_into().expect("8 bytes")), 10),
            None => return Ok(None),
        },
        len => (u64::from(len), 2),
    };
    if is_control && len > 125 {
        return Err(FrameError::Protocol);
    }
    let len = usize::try_from(len).map_err(|_| FrameError::TooBig)?;
    if len > MAX_PAYLOAD {
        return Err(FrameError::TooBig);
    }
    let Some(mask) = buf.get(at..at + 4) else {
        return Ok(None);
    };
    let mask = [mask[0], mask[1], mask[2], mask[3]];
    at += 4;
    let Some(masked) = buf.get(at..at + len) else {
        return Ok(None);
    };
    let payload = masked
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ mask[i % 4])
        .collect();
    Ok(Some((Frame { opcode, payload }, at + len)))
}

#[cfg(test)]
pub(super) fn mask_frame(opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
    assert!(payload.len() < 126, "test helper: short frames only");
    let mut frame = vec![0x80 | opcode, 0x80 | payload.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_compute_the_rfc_accept_key() {
        // The example in RFC 6455 §1.3.
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert!(is_valid_key("dGhlIHNhbXBsZSBub25jZQ=="));
        assert!(!is_valid_key("dGhlIHNhbXBsZSBub25jZQ="));
        assert!(!is_valid_key("dGhlIHNhbXBsZSBub25j\"Q=="));
        assert!(!is_valid_key(""));
    }

    #[test]
    fn can_encode_every_length_form() {
        assert_eq!(encode(opcode::TEXT, b"hi"), vec![0x81, 2, b'h', b'i']);
        let medium = encode(opcode::TEXT, &[b'x'; 200]);
        assert_eq!(&medium[..4], &[0x81, 126, 0, 200]);
        assert_eq!(medium.len(), 204);
        let large = encode(opcode::BINARY, &vec![0; 70_000]);
        assert_eq!(&large[..2], &[0x82, 127]);
        assert_eq!(&large[2..10], &70_000u64.to_be_bytes());
    }

    #[test]
    fn can_decode_masked_frames() {
        let frame = mask_frame(opcode::PING, b"abc", [1, 2, 3, 4]);
        let (decoded, used) = decode(&frame).unwrap().unwrap();
        assert_eq!(decoded.opcode, opcode::PING);
        assert_eq!(decoded.payload, b"abc");
        assert_eq!(used, frame.len());
        // Every proper prefix asks for more bytes.
        for end in 0..frame.len() {
            assert_eq!(decode(&frame[..end]), Ok(None), "prefix {end}");
        }
        // A second frame right behind is left alone.
        let mut two = frame.clone();
        two.extend(mask_frame(opcode::CLOSE, &[3, 232], [9, 9, 9, 9]));
        assert_eq!(decode(&two).unwrap().unwrap().1, frame.len());
    }

    #[test]
    fn rejects_frames_a_client_may_not_send() {
        // Unmasked.
        assert_eq!(decode(&[0x81, 0x02, b'h', b'i']), Err(FrameError::Protocol));
        // Reserved bit, unknown opcode, fragmented control frame.
        assert_eq!(decode(&[0xC1, 0x80]), Err(FrameError::Protocol));
        assert_eq!(decode(&[0x83, 0x80]), Err(FrameError::Protocol));
        assert_eq!(decode(&[0x09, 0x80]), Err(FrameError::Protocol));
        // Control frame over 125 bytes.
        assert_eq!(decode(&[0x89, 0xFE, 0, 126]), Err(FrameError::Protocol));
        // Too big to read.
        let mut huge = vec![0x82, 0xFF];
        huge.extend_from_slice(&(1u64 << 40).to_be_bytes());
        assert_eq!(decode(&huge), Err(FrameError::TooBig));
    }
}
