/**
 * AWS Signer's Notation root certificate for the commercial (`aws`) partition, "AWS Signer Code
 * Signing Root CA G1" (valid 2022-10-27 to 2122-10-27). Every AWS Signer container-image signature
 * chains to it: leaf `CN=AWS Signer` ← `AWS Signer <region> Code Signing CA G1` ← `AWS Signer
 * Code Signing Int CA G1` ← this root.
 *
 * AWS publishes it with the AWS Signer plugin for Notation (the installer's trust store) and at
 * {@link AWS_SIGNER_ROOT.url}. The PEM below was taken from nirmata/kyverno-notation-aws
 * (`configs/samples/truststore.yaml`, which cites that URL); its DER fingerprint equals the root that
 * `notation inspect` shows in real Signer signatures, and a test checks both digests. The URL was
 * not downloaded here (no network), so the published file's own sha256 is not recorded. GovCloud has its own root (`aws-us-gov-signer-notation-root.cert`),
 * not vendored: the fleet has no GovCloud cluster.
 *
 * @see https://docs.aws.amazon.com/signer/latest/developerguide/image-signing-prerequisites.html
 */
export const AWS_SIGNER_ROOT = {
  url: 'https://d2hvyiie56hcat.cloudfront.net/aws-signer-notation-root.cert',
  subject: 'CN=AWS Signer Code Signing Root CA G1, OU=Cryptography, O=AWS, ST=WA, C=US',
  /** SHA-256 of the certificate (DER), as `notation inspect` prints it for the root of a Signer signature. */
  fingerprintSha256: '90a87d0543c3f094dbff9589b6649affe2f3d6e0f308799be2258461c686473f',
  /** SHA-256 of {@link AWS_SIGNER_ROOT.pem} (UTF-8, with its final newline). */
  pemSha256: '6642747ee28b6bb4a75e53c613b0c751e695237d00110135c6e6ed059c11093d',
  pem: `-----BEGIN CERTIFICATE-----
MIICWTCCAd6gAwIBAgIRAMq5Lmt4rqnUdi8qM4eIGbYwCgYIKoZIzj0EAwMwbDEL
MAkGA1UEBhMCVVMxDDAKBgNVBAoMA0FXUzEVMBMGA1UECwwMQ3J5cHRvZ3JhcGh5
MQswCQYDVQQIDAJXQTErMCkGA1UEAwwiQVdTIFNpZ25lciBDb2RlIFNpZ25pbmcg
Um9vdCBDQSBHMTAgFw0yMjEwMjcyMTMzMjJaGA8yMTIyMTAyNzIyMzMyMlowbDEL
MAkGA1UEBhMCVVMxDDAKBgNVBAoMA0FXUzEVMBMGA1UECwwMQ3J5cHRvZ3JhcGh5
MQswCQYDVQQIDAJXQTErMCkGA1UEAwwiQVdTIFNpZ25lciBDb2RlIFNpZ25pbmcg
Um9vdCBDQSBHMTB2MBAGByqGSM49AgEGBSuBBAAiA2IABM9+dM9WXbVyNOIP08oN
IQW8DKKdBxP5nYNegFPLfGP0f7+0jweP8LUv1vlFZqVDep5ONus9IxwtIYBJLd36
5Q3Z44Xnm4PY/wSI5xRvB/m+/B2PHc7Smh0P5s3Dt25oVKNCMEAwDwYDVR0TAQH/
BAUwAwEB/zAdBgNVHQ4EFgQUONhd3abPX87l4YWKxjysv28QwAYwDgYDVR0PAQH/
BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYCMQCd32GnYU2qFCtKjZiveGfs+gCBlPi2
Hw0zU52LXIFC2GlcvwcekbiM6w0Azlr9qvMCMQDl4+Os0yd+fVlYMuovvxh8xpjQ
NPJ9zRGyYa7+GNs64ty/Z6bzPHOKbGo4In3KKJo=
-----END CERTIFICATE-----
`,
} as const;
