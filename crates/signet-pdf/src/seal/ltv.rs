//! Long-term validation: the DSS update (B-LT) and the document time-stamp update (B-LTA).

use std::collections::HashSet;
use std::io::{Read, Seek};

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use const_oid::db::rfc3161;
use der::{Decode, Encode, SliceReader};
use sha1::Sha1;
use sha2::Digest;

use super::ValidationData;
use super::form::{self, Edits};
use super::identity::SealIdentity;
use super::pki::crypto;
use super::sigdict::{self, SigBody};
use super::tsa::{self, TimestampAuthority};
use crate::error::Result;
use crate::font::compressed_stream;
use crate::reader::{Document, Page};
use crate::syntax::{Dict, ObjRef, Object};

/// What goes into the DSS for one signature.
pub(crate) struct DssData {
    certs: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    ocsps: Vec<Vec<u8>>,
    /// The /VRI key: upper-case hex SHA-1 of the signature's /Contents bytes.
    vri_key: String,
}

/// Decodes a DER value from the start of `bytes`, ignoring what follows (the /Contents padding).
pub(crate) fn decode_prefix<'a, T: Decode<'a>>(bytes: &'a [u8]) -> Result<T> {
    let mut reader = SliceReader::new(bytes).map_err(crypto)?;
    T::decode(&mut reader).map_err(crypto)
}

/// The certificates embedded in a CMS SignedData.
pub(crate) fn certificates_of(sd: &SignedData) -> Vec<Vec<u8>> {
    sd.certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(cert) => cert.to_der().ok(),
            _ => None,
        })
        .collect()
}

/// The signature time-stamp tokens in the unsigned attributes of a SignedData's signers.
pub(crate) fn signature_timestamps(sd: &SignedData) -> Vec<Vec<u8>> {
    sd.signer_infos
        .0
        .iter()
        .flat_map(|si| si.unsigned_attrs.iter().flat_map(|a| a.iter()))
        .filter(|a| a.oid == rfc3161::ID_AA_TIME_STAMP_TOKEN)
        .flat_map(|a| a.values.iter())
        .filter_map(|v| v.to_der().ok())
        .collect()
}

fn push_unique(list: &mut Vec<Vec<u8>>, item: Vec<u8>) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl DssData {
    /// The seal chain, the certificates of the signature's time-stamp token and the caller's
    /// validation data, for the signature whose /Contents bytes are `contents`.
    pub(crate) fn collect(
        identity: &SealIdentity,
        contents: &[u8],
        extra: &ValidationData,
        tsa: Option<&dyn TimestampAuthority>,
    ) -> Result<Self> {
        let mut certs = Vec::new();
        for c in &identity.chain_der {
            push_unique(&mut certs, c.clone());
        }
        let ci: ContentInfo = decode_prefix(contents)?;
        let sd: SignedData = ci.content.decode_as().map_err(crypto)?;
        let (mut crls, mut ocsps) = (Vec::new(), Vec::new());
        let mut add = |data: &ValidationData, certs: &mut Vec<Vec<u8>>| {
            for c in &data.certificates {
                push_unique(certs, c.clone());
            }
            for c in &data.crls {
                push_unique(&mut crls, c.clone());
            }
            for o in &data.ocsp_responses {
                push_unique(&mut ocsps, o.clone());
            }
        };
        for token in signature_timestamps(&sd) {
            let (tsd, _) = tsa::token_parts(&token)?;
            for c in certificates_of(&tsd) {
                push_unique(&mut certs, c);
            }
            if let Some(tsa) = tsa {
                add(&tsa.validation_data(&token)?, &mut certs);
            }
        }
        add(extra, &mut certs);
        let digest = Sha1::digest(contents);
        Ok(DssData {
            certs,
            crls,
            ocsps,
            vri_key: digest.iter().map(|b| format!("{b:02X}")).collect(),
        })
    }
}

/// Resolves an array that may be indirect (as edited so far).
fn array_of<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &Edits,
    obj: Option<&Object>,
) -> Result<Vec<Object>> {
    let resolved = match obj {
        Some(Object::Ref(r)) => edits.object(doc, *r)?,
        Some(o) => o.clone(),
        None => Object::Null,
    };
    Ok(resolved
        .as_array()
        .map(<[Object]>::to_vec)
        .unwrap_or_default())
}

fn dict_of<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &Edits,
    obj: Option<&Object>,
) -> Result<Dict> {
    let resolved = match obj {
        Some(Object::Ref(r)) => edits.object(doc, *r)?,
        Some(o) => o.clone(),
        None => Object::Null,
    };
    Ok(resolved.as_dict().cloned().unwrap_or_default())
}

/// Adds (or extends) the catalog's /DSS with `data` and its /VRI entry.
pub(crate) fn add_dss<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    root: ObjRef,
    data: &DssData,
) -> Result<()> {
    let mut catalog = edits.dict(doc, root)?;
    let mut dss = dict_of(doc, edits, catalog.get(b"DSS"))?;
    let mut vri_entry = Dict::new();
    for (key, vri_key, items) in [
        (&b"Certs"[..], &b"Cert"[..], &data.certs),
        (b"CRLs", b"CRL", &data.crls),
        (b"OCSPs", b"OCSP", &data.ocsps),
    ] {
        if items.is_empty() {
            continue;
        }
        let mut all = array_of(doc, edits, dss.get(key))?;
        let mut mine = Vec::with_capacity(items.len());
        for item in items {
            let r = edits.alloc();
            edits.put(r, compressed_stream(Dict::new(), item));
            mine.push(Object::Ref(r));
        }
        all.extend(mine.iter().cloned());
        dss.set(key, Object::Array(all));
        vri_entry.set(vri_key, Object::Array(mine));
    }
    let mut vri = dict_of(doc, edits, dss.get(b"VRI"))?;
    vri.set(data.vri_key.as_bytes(), Object::Dict(vri_entry));
    dss.set(b"VRI", Object::Dict(vri));
    let dss_ref = edits.alloc();
    edits.put(dss_ref, Object::Dict(dss));
    catalog.set(b"DSS", Object::Ref(dss_ref));
    edits.put(root, Object::Dict(catalog));
    Ok(())
}

/// Adds an invisible document time-stamp field on `page`; returns the signature object and its
/// dictionary body (with placeholders) for the caller to serialise and fill.
pub(crate) fn add_doc_timestamp<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    root: ObjRef,
    page: &Page,
    names: &HashSet<String>,
    tsa: &dyn TimestampAuthority,
) -> Result<(ObjRef, SigBody)> {
    let ts = edits.alloc();
    let widget = edits.alloc();
    let name = (1..)
        .map(|i| format!("SignetTimestamp{i}"))
        .find(|n| !names.contains(n))
        .unwrap_or_else(|| "SignetTimestamp".into());
    edits.put(
        widget,
        Object::Dict(form::signature_widget(&name, ts, page.obj)),
    );
    form::add_annotation(doc, edits, page, widget)?;
    let catalog = edits.dict(doc, root)?;
    if let Some(cat) = form::add_field(doc, edits, &catalog, widget)? {
        edits.put(root, Object::Dict(cat));
    }
    Ok((ts, sigdict::build_doc_timestamp(tsa.max_token_len())))
}
