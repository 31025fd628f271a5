// The Pod Security Standards, offline: every pod template of the given
// files (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)
// against every control of the Baseline and Restricted profiles
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
// as the PodSecurity admission controller would check them: no admission
// controller runs here. The level is the one the Namespace of the files
// claims (label pod-security.kubernetes.io/enforce), or --level LEVEL, which
// the Namespace must then claim too. Prints one summary line; exits 1 with
// "FILE: KIND/NAME: CONTAINER: CONTROL: what" for every breach.
// Usage: node check-restricted.mjs [--level baseline|restricted] FILE...
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
// Baseline "Capabilities": what may be added.
const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID',
  'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
// Baseline "Sysctls": the safe set (Kubernetes 1.29).
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t',
  'container_engine_t']);
// Restricted "Volume Types".
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral',
  'persistentVolumeClaim', 'projected', 'secret']);

function podOf(obj) {
  switch (obj.kind) {
    case 'Pod': return { meta: obj.metadata, spec: obj.spec };
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return { meta: obj.spec?.template?.metadata, spec: obj.spec?.template?.spec };
    case 'CronJob':
      return { meta: obj.spec?.jobTemplate?.spec?.template?.metadata,
        spec: obj.spec?.jobTemplate?.spec?.template?.spec };
    default: return null;
  }
}

function containersOf(spec) {
  return ['initContainers', 'containers', 'ephemeralContainers']
    .flatMap((k) => (spec[k] ?? []).map((c) => ({ c, sc: c.securityContext ?? {} })));
}

// The baseline controls: [name, check(pod, meta) -> [container|'pod', what][]].
const baseline = [
  ['HostProcess', (spec) => [
    ...(spec.securityContext?.windowsOptions?.hostProcess ? [['pod', 'windowsOptions.hostProcess']] : []),
    ...containersOf(spec).filter(({ sc }) => sc.windowsOptions?.hostProcess)
      .map(({ c }) => [c.name, 'windowsOptions.hostProcess'])]],
  ['Host Namespaces', (spec) => ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((k) => spec[k]).map((k) => ['pod', `${k}: true`])],
  ['Privileged Containers', (spec) => containersOf(spec).filter(({ sc }) => sc.privileged)
    .map(({ c }) => [c.name, 'privileged: true'])],
  ['Capabilities', (spec) => containersOf(spec).flatMap(({ c, sc }) =>
    (sc.capabilities?.add ?? []).filter((a) => !BASELINE_CAPS.has(a))
      .map((a) => [c.name, `adds ${a}`]))],
  ['HostPath Volumes', (spec) => (spec.volumes ?? []).filter((v) => v.hostPath)
    .map((v) => ['pod', `volume ${v.name} is a hostPath`])],
  ['Host Ports', (spec) => containersOf(spec).flatMap(({ c }) => (c.ports ?? [])
    .filter((p) => p.hostPort).map((p) => [c.name, `hostPort ${p.hostPort}`]))],
  ['AppArmor', (spec, meta) => [
    ...Object.entries(meta?.annotations ?? {})
      .filter(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
        v !== 'runtime/default' && !v.startsWith('localhost/'))
      .map(([k, v]) => [k.split('/')[1], `annotation ${v}`]),
    ...(spec.securityContext?.appArmorProfile?.type === 'Unconfined' ? [['pod', 'appArmorProfile Unconfined']] : []),
    ...containersOf(spec).filter(({ sc }) => sc.appArmorProfile?.type === 'Unconfined')
      .map(({ c }) => [c.name, 'appArmorProfile Unconfined'])]],
  ['SELinux', (spec) => [{ c: { name: 'pod' }, sc: spec.securityContext ?? {} }, ...containersOf(spec)]
    .flatMap(({ c, sc }) => {
      const o = sc.seLinuxOptions ?? {};
      const bad = [];
      if (!SELINUX_TYPES.has(o.type ?? '')) bad.push([c.name, `seLinuxOptions.type ${o.type}`]);
      if (o.user) bad.push([c.name, 'seLinuxOptions.user is set']);
      if (o.role) bad.push([c.name, 'seLinuxOptions.role is set']);
      return bad;
    })],
  ['/proc Mount Type', (spec) => containersOf(spec)
    .filter(({ sc }) => sc.procMount !== undefined && sc.procMount !== 'Default')
    .map(({ c, sc }) => [c.name, `procMount ${sc.procMount}`])],
  ['Seccomp', (spec) => [
    ...(spec.securityContext?.seccompProfile?.type === 'Unconfined' ? [['pod', 'seccompProfile Unconfined']] : []),
    ...containersOf(spec).filter(({ sc }) => sc.seccompProfile?.type === 'Unconfined')
      .map(({ c }) => [c.name, 'seccompProfile Unconfined'])]],
  ['Sysctls', (spec) => (spec.securityContext?.sysctls ?? []).filter((s) => !SAFE_SYSCTLS.has(s.name))
    .map((s) => ['pod', `sysctl ${s.name}`])],
];

const podSeccompOk = (spec) => ['RuntimeDefault', 'Localhost'].includes(spec.securityContext?.seccompProfile?.type);

const restricted = [
  ['Volume Types', (spec) => (spec.volumes ?? []).flatMap((v) => Object.keys(v)
    .filter((k) => k !== 'name' && !RESTRICTED_VOLUMES.has(k)).map((k) => ['pod', `volume ${v.name} is ${k}`]))],
  ['Privilege Escalation', (spec) => containersOf(spec)
    .filter(({ sc }) => sc.allowPrivilegeEscalation !== false)
    .map(({ c }) => [c.name, 'allowPrivilegeEscalation is not false'])],
  ['Running as Non-root', (spec) => containersOf(spec).filter(({ sc }) =>
    sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && spec.securityContext?.runAsNonRoot !== true))
    .map(({ c }) => [c.name, 'runAsNonRoot is not true'])],
  ['Running as Non-root user', (spec) => [
    ...(spec.securityContext?.runAsUser === 0 ? [['pod', 'runAsUser: 0']] : []),
    ...containersOf(spec).filter(({ sc }) => sc.runAsUser === 0).map(({ c }) => [c.name, 'runAsUser: 0'])]],
  ['Seccomp (restricted)', (spec) => containersOf(spec).filter(({ sc }) =>
    !['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile?.type) &&
    (sc.seccompProfile !== undefined || !podSeccompOk(spec)))
    .map(({ c }) => [c.name, 'seccompProfile is not RuntimeDefault or Localhost'])],
  ['Capabilities (restricted)', (spec) => containersOf(spec).flatMap(({ c, sc }) => [
    ...(!(sc.capabilities?.drop ?? []).includes('ALL') ? [[c.name, 'does not drop ALL']] : []),
    ...(sc.capabilities?.add ?? []).filter((a) => a !== 'NET_BIND_SERVICE').map((a) => [c.name, `adds ${a}`])])],
];

const args = process.argv.slice(2);
let wanted = null;
if (args[0] === '--level') { wanted = args[1]; args.splice(0, 2); }
if (wanted !== null && !['baseline', 'restricted'].includes(wanted)) {
  console.error(`--level: expected baseline or restricted, not ${wanted}`);
  process.exit(2);
}
const failures = [];
const pods = [];
let claimed = null;
for (const file of args) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const obj = doc.toJS();
    if (!obj || typeof obj !== 'object') continue;
    if (obj.kind === 'Namespace') claimed = obj.metadata?.labels?.[ENFORCE] ?? null;
    const pod = podOf(obj);
    if (pod?.spec) pods.push({ where: `${file}: ${obj.kind}/${obj.metadata?.name}`, ...pod });
  }
}
if (claimed === null && wanted === null) failures.push(`no Namespace labels ${ENFORCE} and no --level`);
if (wanted !== null && claimed !== null && claimed !== wanted)
  failures.push(`the Namespace enforces ${claimed}, expected ${wanted}`);
const level = wanted ?? claimed ?? 'restricted';
const controls = level === 'restricted' ? [...baseline, ...restricted] : baseline;
for (const { where, meta, spec } of pods)
  for (const [control, check] of controls)
    for (const [who, what] of check(spec, meta))
      failures.push(`${where}: ${who}: ${control}: ${what}`);
if (pods.length === 0) failures.push('no pod template in the files');
for (const f of failures) console.log(f);
console.log(`${pods.length} pod templates checked against Pod Security ${level} (${controls.length} controls): ${failures.length} breaches`);
process.exit(failures.length ? 1 : 0);
