//! The Secret Service's encrypted session, `dh-ietf1024-sha256-aes128-cbc-pkcs7`
//! (the algorithm libsecret uses): a Diffie-Hellman exchange in the 1024-bit
//! MODP group of RFC 2409 §6.2, HKDF-SHA256 (no salt, no info) of the shared
//! secret to an AES-128 key, and each secret AES-128-CBC encrypted with
//! PKCS#7 padding under a fresh random IV.

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{Array, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hkdf::Hkdf;
use num_bigint::BigUint;
use sha2::Sha256;
use zeroize::Zeroizing;

pub const ALGORITHM: &str = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

/// RFC 2409 §6.2, the Second Oakley Group; the generator is 2.
const PRIME: [u8; 128] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34,
    0xC4, 0xC6, 0x62, 0x8B, 0x80, 0xDC, 0x1C, 0xD1, 0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67, 0xCC, 0x74,
    0x02, 0x0B, 0xBE, 0xA6, 0x3B, 0x13, 0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E, 0x34, 0x04, 0xDD,
    0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30, 0x2B, 0x0A, 0x6D, 0xF2, 0x5F, 0x14, 0x37,
    0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45, 0xE4, 0x85, 0xB5, 0x76, 0x62, 0x5E, 0x7E, 0xC6,
    0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x37, 0xED, 0x6B, 0x0B, 0xFF, 0x5C, 0xB6, 0xF4, 0x06, 0xB7, 0xED,
    0xEE, 0x38, 0x6B, 0xFB, 0x5A, 0x89, 0x9F, 0xA5, 0xAE, 0x9F, 0x24, 0x11, 0x7C, 0x4B, 0x1F, 0xE6,
    0x49, 0x28, 0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];

/// Bytes of our private exponent. 256 bits is three times what the group
/// itself offers (1024-bit MODP: about 80 bits of security; NIST SP 800-56A
/// asks for an exponent of twice that), and makes our two exponentiations
/// a quarter of the full-size cost, on the path of every keyring read.
const EXPONENT_BYTES: usize = 32;

/// Our private exponent (wiped on drop).
pub struct PrivateKey(Zeroizing<Vec<u8>>);

/// The session's AES-128 key (wiped on drop).
pub struct SessionKey(Zeroizing<[u8; 16]>);

/// A fresh private exponent and the public value to send with OpenSession.
/// `None` only when the OS has no random numbers to give.
pub fn keypair() -> Option<(PrivateKey, Vec<u8>)> {
    let mut private = Zeroizing::new(vec![0u8; EXPONENT_BYTES]);
    getrandom::fill(&mut private).ok()?;
    let prime = BigUint::from_bytes_be(&PRIME);
    let public = BigUint::from(2u8).modpow(&BigUint::from_bytes_be(&private), &prime);
    Some((PrivateKey(private), public.to_bytes_be()))
}

/// The AES key both sides derive; `None` for a server value that is no
/// valid group element (0, 1, p-1 or beyond p would give a guessable key).
pub fn derive_key(private: &PrivateKey, server_public: &[u8]) -> Option<SessionKey> {
    let prime = BigUint::from_bytes_be(&PRIME);
    let server = BigUint::from_bytes_be(server_public);
    if server <= BigUint::from(1u8) || server >= &prime - 1u8 {
        return None;
    }
    let shared = server.modpow(&BigUint::from_bytes_be(&private.0), &prime);
    // Left-padded to the group's size, as libsecret and gnome-keyring do.
    let mut input = Zeroizing::new(vec![0u8; 128]);
    let bytes = Zeroizing::new(shared.to_bytes_be());
    input[128 - bytes.len()..].copy_from_slice(&bytes);
    let mut key = Zeroizing::new([0u8; 16]);
    Hkdf::<Sha256>::new(None, &input)
        .expand(&[], key.as_mut())
        .ok()?;
    Some(SessionKey(key))
}

/// A fresh IV and the encrypted secret; `None` only when the OS has no
/// random numbers to give.
pub fn encrypt(key: &SessionKey, secret: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut iv = [0u8; 16];
    getrandom::fill(&mut iv).ok()?;
    let value = cbc::Encryptor::<aes::Aes128>::new(&Array::from(*key.0), &Array::from(iv))
        .encrypt_padded_vec::<Pkcs7>(secret);
    Some((iv.to_vec(), value))
}

/// The plain secret; `None` when it does not decrypt (wrong key, damage).
pub fn decrypt(key: &SessionKey, iv: &[u8], value: &[u8]) -> Option<Vec<u8>> {
    let iv: &[u8; 16] = iv.try_into().ok()?;
    cbc::Decryptor::<aes::Aes128>::new(&Array::from(*key.0), &Array::from(*iv))
        .decrypt_padded_vec::<Pkcs7>(value)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_derive_the_same_key_and_round_trip() {
        let (ours, our_public) = keypair().expect("random");
        let (theirs, their_public) = keypair().expect("random");
        let ours = derive_key(&ours, &their_public).expect("key");
        let theirs = derive_key(&theirs, &our_public).expect("key");
        assert_eq!(*ours.0, *theirs.0);
        let (iv, value) = encrypt(&ours, b"a secret record").expect("random");
        assert_ne!(value, b"a secret record");
        assert_eq!(
            decrypt(&theirs, &iv, &value).as_deref(),
            Some(&b"a secret record"[..])
        );
    }

    #[test]
    fn degenerate_server_values_are_refused() {
        let (ours, _) = keypair().expect("random");
        assert!(derive_key(&ours, &[1]).is_none());
        assert!(derive_key(&ours, &PRIME).is_none());
    }
}
