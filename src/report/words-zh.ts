// The words of a death in Chinese (zh-CN), as an operator on a Chinese VPS forum says them: the catalogue words.ts
// declares (`Words`), entry for entry as words-en.ts. Codes, signal names, units and times stay as they are.
import { signalName } from '../recognise/signal-names.js';
import { clip } from './clip.js';
import { formatKb, formatUptime } from './sizes.js';
import type { Words } from './words.js';

const CAUSE_COUNTS = {
  'oom-killer': 'OOM 杀死',
  'oom-daemon': 'OOM 守护进程杀死',
  'runtime-oom': '运行时 OOM',
  crash: '崩溃',
  stopped: '主动停止',
  unexplained: '原因不明',
} as const;

export const ZH_WORDS: Words = {
  cause: {
    'oom-killer': '被内核 OOM killer 杀死',
    'oom-daemon': '被用户态 OOM 守护进程杀死',
    'runtime-oom': '自身内存不足而中止（运行时 OOM）',
    crash: '崩溃',
    stopped: '被主动停止',
    unexplained: '意外退出，原因不明',
  },
  causeCount: (cause, n) => `${CAUSE_COUNTS[cause]} ${n} 次`,
  deathCount: (total, counted) => `退出 ${total} 次：${counted.join('，')}`,
  noDeaths: '未发现进程退出',
  missing: {
    'kernel-log': '覆盖这次退出的内核/系统日志（syslog、kern.log、journalctl -k、dmesg）',
    'guardian-log': '守护脚本的日志（check.log）',
    'app-log': '应用自己的日志（running.log）',
    'boot-time': 'dmesg 时间戳所需的开机时间（--boot-time）',
  },
  role: {
    guardianLastAlive: '守护脚本最后一次检查时它还在运行',
    guardianFirstDead: '守护脚本第一次检查发现它已不在',
    nextStart: '应用已重新启动',
    stopScript: 'stop.sh 记下了 pid，随后 kill -9',
  },
  fact: {
    'oom.invoked': (e) => `${e.trigger} 触发了 OOM killer${e.order === -1 ? '（手动触发，order=-1）' : ''}`,
    'oom.manual': () => '有人手动触发了 OOM 杀进程（SysRq-f）',
    'oom.constraint': (e) =>
      `OOM 摘要：${e.scope ?? 'unknown'} OOM${e.oomMemcg ? `，位于 ${e.oomMemcg}` : ''}${e.pid !== null ? `，被杀的是 ${e.process} pid ${e.pid}` : ''}`,
    'oom.kill-intent': (e) => `内核选中了 pid ${e.pid}（${e.process}）准备杀死`,
    'oom.killed': (e) =>
      `内核 OOM 杀死了 pid ${e.pid}（${e.process}）${e.anonRssKb !== null ? `，anon-rss ${formatKb(e.anonRssKb)}` : ''}`,
    'oom.reaped': (e) => `oom_reaper 回收了 pid ${e.pid} 的内存：杀进程已生效`,
    'memcg.usage': (e) => `内存 cgroup 已到上限：已用 ${formatKb(e.usageKb)} / ${formatKb(e.limitKb)}`,
    'memcg.task-in': (e) => `被杀进程位于 ${e.taskMemcg}，触及上限的是 ${e.limitMemcg}`,
    'unit.oom': (e) => `systemd：内核 OOM killer 杀死了 ${e.unit} 的一个进程`,
    'unit.oomd': (e) => `systemd：systemd-oomd 杀死了 ${e.unit} 的进程`,
    'unit.exited': (e) => `systemd：${e.unit} 的主进程已退出（${e.code}，${e.status}）`,
    'unit.result': (e) => `systemd：${e.unit} 失败，结果为 '${e.result}'`,
    'unit.stopping': (e) => `systemd 正在停止 ${e.unit}`,
    'unit.stopped': (e) => `systemd 已停止 ${e.unit}`,
    'unit.starting': (e) => `systemd 正在启动 ${e.unit}`,
    'unit.started': (e) => `systemd 已启动 ${e.unit}`,
    'unit.deactivated': (e) => `systemd：${e.unit} 的主进程正常结束（exit 0 或收到停止信号）`,
    'unit.restart-scheduled': (e) => `systemd 已安排重启 ${e.unit}`,
    'upstart.exited': (e) =>
      `upstart：${e.job} 的主进程 ${e.pid} ${e.signal !== null ? `被 ${e.signal} 杀死` : `退出，状态码 ${e.code ?? '?'}`}`,
    'upstart.respawning': (e) => `upstart 正在重新拉起 ${e.job}`,
    'oomd.killed': (e) => `systemd-oomd 杀死了 ${e.cgroup}`,
    'earlyoom.killed': (e) => `earlyoom 向 pid ${e.pid ?? '?'}（${e.process}）发送了 ${e.signal}`,
    'fboomd.killed': (e) => `oomd 杀死了 ${e.cgroup}`,
    // The kernel names the faulting thread: its id is the process's only for the main thread.
    'kernel.segfault': (e) =>
      `内核：${e.process}[${e.pid}] 崩溃（段错误${e.object !== null ? `，位于 ${e.object}` : ''}）`,
    'kernel.abend': (e) => `audit：进程 ${e.pid}（${e.exe || e.process}）因 ${signalName(e.signal)} 结束`,
    'kernel.audit': () => '内核 audit 记录（自带墙钟时间）',
    'guardian.check': (e) => `守护脚本检查：${e.name} 进程数 ${e.value === '' ? '（空）' : e.value}`,
    'guardian.restart': (e) => `守护脚本发现 ${e.name} 没有运行，已将其重启`,
    'guardian.stop': (e) => (e.pid !== null ? `停止脚本杀死了 pid ${e.pid}` : '守护脚本的停止脚本'),
    'guard.died': (e) =>
      `oomsleuth guard 看到 ${e.name} ${e.signal ? `因 ${e.signal} 退出` : e.code !== null ? `以退出码 ${e.code} 退出` : '退出'}${e.verdict ? `，判定为 ${e.verdict.cause}（${e.verdict.confidence}）` : ''}`,
    'guard.started': (e) =>
      `oomsleuth guard ${e.how === 'restarted' ? '重启了' : e.how === 'started' ? '启动了' : '正在监视'} ${e.name}，pid ${e.pid}${e.memcg ? `，内存 cgroup ${e.memcg}` : ''}`,
    'guard.stopping': (e) => `oomsleuth guard 请求 pid ${e.pid} 停止（SIGTERM${e.why ? `：${e.why}` : ''}）`,
    'guard.incident': (e) =>
      `oomsleuth guard 把 ${e.name}${e.pid !== null ? ` pid ${e.pid}` : ''} 的退出记为 ${e.verdict.cause}（${e.verdict.confidence}）`,
    'app.start': () => '应用已启动',
    'app.shutdown': (e) => `应用收到信号后退出${e.signal ? `（${e.signal}）` : ''}`,
    'app.restart-in-place': () => '应用原地重启（pid 不变，不算退出）',
    'app.panic': (e) => `应用崩溃：${clip(e.message)}`,
    'app.runtime-oom': (e) => `运行时无法分配内存，已中止：${clip(e.message)}`,
    'app.port-in-use': () => '又一个副本发现端口已被占用，随即退出',
    'app.line': () => '应用退出前写下的最后一行',
    'oom.task': () => 'OOM 进程表',
    'oom.task-header': () => 'OOM 进程表',
    'oom.mem-info': (e) =>
      e.field === 'ram-pages'
        ? `本机内存共 ${formatKb(e.value * 4)}`
        : e.field === 'swap-total-kb'
          ? e.value === 0
            ? '本机没有 swap'
            : `本机 swap 共 ${formatKb(e.value)}`
          : `被杀时剩余 swap：${formatKb(e.value)}`,
    'oom.task-summary': (e) => `OOM 进程表：${e.tasks} 个进程共占用 ${formatKb(e.totalRssPages * 4)}`,
    'guard.exit': (e) => {
      const uptime = e.uptimeMs === null ? '' : `，此前运行了 ${formatUptime(e.uptimeMs)}`;
      if (!e.known) return `pid ${e.pid} 已不在；guard 不是它的父进程，无法得知退出状态`;
      return e.signal !== null
        ? `子进程被 ${e.signal} 杀死${uptime}`
        : `子进程以退出码 ${e.code} 退出${uptime}`;
    },
    'guard.stop': () => 'guard 停止了它',
    'memcg.oom-count': (e) =>
      `本次运行期间，内存 cgroup ${e.cgroup} 的 oom_kill 计数从 ${e.before} 升到 ${e.after}`,
    'host.oom-count': (e) => `它运行期间，本机的 oom_kill 计数从 ${e.before} 升到 ${e.after}`,
    'memcg.near-limit': (e) => `它的内存 cgroup 已到上限：${formatKb(e.usageKb)} / ${formatKb(e.limitKb)}`,
  },
};
