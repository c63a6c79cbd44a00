"""pyHanko long-term validation of every signature and document time-stamp in a PDF, from the
data embedded in the file only.

usage: pyhanko_ltv.py ROOT.pem[,ROOT2.pem...] FILE.pdf LEVEL   (LEVEL: B-LT or B-LTA)

Every signature is validated with a context built from the file's DSS, revocation info required
for every certificate and fetching off: it passes only if the DSS holds what a validator needs.
For B-LTA each signature must also pass pyHanko's ETSI EN 319 102-1 long-term (LTA) validation
and each document time-stamp must be valid. Exit 0 when everything passes at LEVEL, 1 otherwise.
"""

import asyncio
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import (
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    FreshnessReqType,
)
from pyhanko_certvalidator.registry import SimpleTrustManager


def offline_context(reader, roots):
    dss = DocumentSecurityStore.read_dss(reader)
    return dss.as_validation_context(
        {'trust_roots': roots, 'allow_fetching': False, 'revocation_mode': 'require'}
    )


def lta_spec(roots):
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(
            REQUIRE_REVINFO,
            freshness=None,
            freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
        ),
    )
    return PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(cert_validation_policy=policy),
        diff_policy=DEFAULT_DIFF_POLICY,
    )


def main(root_paths: str, pdf_path: str, level: str) -> int:
    roots = [load_cert_from_pemder(p) for p in root_paths.split(',')]
    ok = True
    with open(pdf_path, 'rb') as f:
        reader = PdfFileReader(f)
        sigs = reader.embedded_regular_signatures
        timestamps = reader.embedded_timestamp_signatures
        if not sigs:
            print('no signatures')
            return 1
        for sig in sigs:
            vc = offline_context(reader, roots)
            status = validate_pdf_signature(
                sig, signer_validation_context=vc, ts_validation_context=vc
            )
            print(status.pretty_print_details())
            ok &= bool(status.bottom_line) and status.timestamp_validity is not None
            if level == 'B-LTA':
                result = asyncio.run(ades_lta_validation(sig, lta_spec(roots)))
                print(f'{sig.field_name}: ETSI LTA validation {result.ades_subindic}')
                ok &= result.ades_subindic is AdESPassed.OK
        for ts in timestamps:
            status = validate_pdf_timestamp(ts, validation_context=offline_context(reader, roots))
            good = status.intact and status.valid and status.trusted
            print(f'document time-stamp {ts.field_name}: valid={good} coverage={status.coverage}')
            ok &= bool(good)
        if timestamps:
            # the newest document time-stamp covers the whole file
            ok &= status.coverage.name == 'ENTIRE_FILE'
        print(f'document time-stamps: {len(timestamps)}')
        if level == 'B-LTA' and not timestamps:
            ok = False
        if level == 'B-LT' and timestamps:
            ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
