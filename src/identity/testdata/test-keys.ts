/**
 * Keys generated for openirsa's tests (node:crypto `generateKeyPairSync`, once, by hand); they protect
 * nothing and must never sign anything outside a test. The private keys are in the encodings
 * kube-apiserver's `--service-account-signing-key-file` accepts besides PKCS#8: PKCS#1 for RSA and SEC1
 * for EC. Each `kid` is base64url(SHA-256(DER SubjectPublicKeyInfo)); key-id.test.ts recomputes it from
 * a DER it builds from the key's numbers and from the DER inside the public PEM.
 */

/** RSA 2048, public exponent 65537, PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
export const TEST_RSA_PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAjbsU7mUKDehNGMEAD2xmjbM865bvinczFywxW18qXBmAp+zl
sR9V1+av35cT0Wf/s1ZDx8Nm+0V/CaLIyPEzAVKg/dRn3O6ZtJ2kwa3KSrvrQG6Q
ocyG2ClikHWVQpPGyvRYVdxzZEwo5LZFyMcSdmn8/JOATEmYwsa2c2A4JihKkRJY
9KnJJytMUTKHZR2CYr7RBZRVuVaCEAfUq5M0IQ9bqIBI8DoSoMOWxSZ0IeEGEafU
V7+/2CHeHA9A4QELVCzdqoqZWUxQCVN2x1LRf3xgKPJ4tQYfvXkUdDcCnWgpz/5o
7bHzd+oEoI87q/4+dorV5bWtvSckt4k/9mQKrQIDAQABAoIBAAFUtiiF74n8D4tH
DAXZDf57JibiiDXRPZF/Df3uacKrJPjkDIUfsZ9BJeTQMZ9dXg/ppGHMwoZjW5h0
JvVcxHlDn3TlaM3w5KXG9twwZ65Qz5pPiiamzxuvtHf9pAJCdShZ5+FzMZc0cDbe
RPn9b+gyQcNVFuxAeFbYkFqK1wQkCE5xvpllhjG7jt0sMYNfwHz6DxasyLnVBM/9
RrtJpiRH6CXEnpoWKdD9ctBqxfmM6SK0/UbnTxObIswqnsc/MafkNErEHIob287i
sGOunqiQ8WwBu1V2i9RexFa41Lnb4oQqwKG9ws6+kJyPtDNH0ok5uWx4ZQGaF5qh
Bt4/GzkCgYEAw1Ym/50ju2Jr60UgZPUDhbsHCjTFyx+zbLRh2xCZXrMh7v5aE2yD
UdyvRZ93BBnVKM7K6mdld5EhfhWz4RYSJJPu93JoxYyMdezsf1sqNflgTAF13Ow7
tWZ7M+RL1UKASJXawQzn0FKIBtKq0BOEluhHJJ/hdQ82rHYWHHDGFykCgYEAub8c
I5ZauDZ7ZVGnbZkRsKTbEqtIdty3O5/mtNadTtH8FTOoXEDfqcnlmdN1YmCgxsi4
qTq+DlplDB0zW/ctVq7UMvrH4jK03PS2TdOGgvkewLye0dmMjjfSkC3Q2n8Vnrfl
Rfy0arErfSUmsdVElu5rojdzB+hPBOcppoLAG+UCgYEAg+hJrZOP7ZopBldH6OUL
2+LQfjPk3aYqo92rtyMebrTI1XstmLBOfZlpQrrMxBgtucDrhh8MhhGbbGl7byRY
XBsJ5E9+MOkYcQntKpOFja05OhpCXU2phHYP/JrOGtUti9amQndUk3koInNgpeKI
Rt/UKwdMWKBNa2jSxaHiIwECgYAVS94UDncUS9rWAQirPjOTBzO+7jh+uEuh4HF5
Jmoe0WCPpb6V5TI/q1BR1LbOsrl8USMq8/s6dg7D1s0+rBZcq+rUdYBZZOrrsnr8
bVYsyhdGjdm/waul2qyfr0EU7CE0c20sGw8sdGfCD3JiTUtx6qAYlzbvHymALGjQ
GImiKQKBgGYqr1JXymyXIcDymB2BfmvGq73myk4SbitYvT3bpR2DbzN1IKKOFPD+
DQ7KOk+EOyfXw8ykdDz+vr2FkTcytMZ+Z8KnqYzXaEmeGyE9wZlU0C/clqx9IkVm
ZZ4fnBJrEqJUxxuTnEKXk2edTRCdo2sAqZ11B9t7Omm1rmdugpTh
-----END RSA PRIVATE KEY-----
`;
export const TEST_RSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjbsU7mUKDehNGMEAD2xm
jbM865bvinczFywxW18qXBmAp+zlsR9V1+av35cT0Wf/s1ZDx8Nm+0V/CaLIyPEz
AVKg/dRn3O6ZtJ2kwa3KSrvrQG6QocyG2ClikHWVQpPGyvRYVdxzZEwo5LZFyMcS
dmn8/JOATEmYwsa2c2A4JihKkRJY9KnJJytMUTKHZR2CYr7RBZRVuVaCEAfUq5M0
IQ9bqIBI8DoSoMOWxSZ0IeEGEafUV7+/2CHeHA9A4QELVCzdqoqZWUxQCVN2x1LR
f3xgKPJ4tQYfvXkUdDcCnWgpz/5o7bHzd+oEoI87q/4+dorV5bWtvSckt4k/9mQK
rQIDAQAB
-----END PUBLIC KEY-----
`;
export const TEST_RSA_KEY_ID = 'WfrzLN_ow93CBc6Q2i8nUPsW9JBKTYbjUUVX1pVSon0';

/** EC P-256, SEC1 (`BEGIN EC PRIVATE KEY`). */
export const TEST_EC_PRIVATE_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIMbeMZGSBDizL0LXJ4GxsYa94g9tYyTAweXkDWpExN9AoAoGCCqGSM49
AwEHoUQDQgAEp50hZw4ALIckMrVp65zz+cevf7dXwENbyDwzX9zdcsIHx68AlWot
uydabiYNLGzjvrh4/nDCnpmzFOWOl32m5Q==
-----END EC PRIVATE KEY-----
`;
export const TEST_EC_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEp50hZw4ALIckMrVp65zz+cevf7dX
wENbyDwzX9zdcsIHx68AlWotuydabiYNLGzjvrh4/nDCnpmzFOWOl32m5Q==
-----END PUBLIC KEY-----
`;
export const TEST_EC_KEY_ID = 'DOrjr7tZdFyPCcn1CMrw3V7_eSplMTOnZKhdv86ANMk';
