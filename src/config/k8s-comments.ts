import {
  APP_NAME,
  AWS_PORT,
  awsEndpointUrl,
  SKIP_WEBHOOK_LABEL,
  STS_AUDIENCE,
  WEBHOOK_SERVICE,
  WEBHOOK_TLS_SECRET,
  webhookDnsNames,
  type ClusterOptions,
} from './k8s-names.js';

/** The YAML comments of the output: what each part is for, and what to do when a flag was left out. */

export function headerComment(o: ClusterOptions): string {
  return [
    'openirsa in a Kubernetes cluster, printed by `openirsa k8s manifests`.',
    `Namespace ${o.namespace}; apply with: kubectl apply -f FILE`,
    `STS/IAM/S3: http://${APP_NAME}.${o.namespace}.svc:${AWS_PORT}; the pod-identity webhook: https://${WEBHOOK_SERVICE}.${o.namespace}.svc/mutate`,
    'Both run in one pod; openirsa up keeps its data directory on the PersistentVolumeClaim below.',
    ...(o.issuer === undefined
      ? [
          "No --issuer was given: openirsa's STS trusts only its built-in issuer, not the tokens the",
          "cluster projects into pods; print again with --issuer set to the cluster's issuer to trust them.",
        ]
      : []),
  ].join('\n');
}

export function missingSecretComment(o: ClusterOptions): string {
  const names = webhookDnsNames(o.namespace);
  return [
    `No --tls-cert/--tls-key were given, so the Secret ${WEBHOOK_TLS_SECRET} is not printed; the pod`,
    'waits for it. Create it from a certificate whose subject alternative names are',
    `${names.join(', ')}:`,
    `  kubectl -n ${o.namespace} create secret tls ${WEBHOOK_TLS_SECRET} --cert=tls.crt --key=tls.key`,
    'and print these manifests again with --ca-bundle CA.pem (the CA that signed it), e.g. with openssl:',
    `  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout tls.key -out tls.crt \\`,
    `    -subj "/CN=${names[2] ?? ''}" -addext "subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}"`,
    '  (a self-signed certificate is its own CA: --ca-bundle tls.crt)',
  ].join('\n');
}

export function issuerComment(issuer: string): string {
  return [
    `openirsa's STS trusts the cluster's service-account issuer ${issuer}:`,
    `the ACK OpenIDConnectProvider below (client id ${STS_AUDIENCE}) is applied at start; STS reads the`,
    "issuer's discovery document and",
    'JWKS over https, trusting the cluster CA. kube-apiserver serves them to authenticated callers only',
    'unless system:service-account-issuer-discovery is bound to system:unauthenticated.',
  ].join('\n');
}

export function webhookComment(o: ClusterOptions): string {
  const lines = [
    'The pod-identity webhook, as amazon-eks-pod-identity-webhook deploys it; pods labelled',
    `${SKIP_WEBHOOK_LABEL}, and openirsa's own pods, are not sent to it.`,
    '`openirsa webhook` reads service accounts and their eks.amazonaws.com/role-arn from the API server',
    '(list and watch, with the RBAC above), and adds AWS_ENDPOINT_URL, _STS, _IAM and _S3 =',
    `${awsEndpointUrl(o.namespace)} to each container that does not set them: without them the`,
    "pods' AWS clients would call real AWS, whose STS does not trust this cluster's tokens.",
  ];
  if (o.caBundlePem === undefined) {
    lines.push(
      'No --ca-bundle was given, so clientConfig has no caBundle and the API server cannot verify the',
      'webhook: every call fails and pods are admitted unmutated (failurePolicy Ignore).',
    );
  }
  return lines.join('\n');
}
