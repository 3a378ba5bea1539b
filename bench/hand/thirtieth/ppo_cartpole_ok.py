"""PPO actor-critic on a hand-written CartPole-like environment (the classic cart-pole
equations, Euler steps of 0.02 s, force ±10 N, failure past 12° or 2.4 m, episodes capped at
200 steps, reward 1 per step), 16 copies stepped together as tensors. The actor and the critic
are separate 64-64 tanh MLPs behind one ``forward(obs) -> (logits, value)``; each iteration
collects 128 steps from every copy (2048 transitions), computes GAE (γ 0.99, λ 0.95) and runs
4 epochs of shuffled minibatches of 256 with the clipped surrogate (ε 0.2), a value loss (×0.5)
and an entropy bonus (0.01); Adam 1e-3 annealed linearly to 0 over 40 iterations (stepped once
an iteration), gradient norm clipped at 0.5.
``ppo_log.csv`` holds per iteration the mean return of the episodes that ended in it, the
policy / value losses, the entropy, the approximate KL and the clip fraction.
Healthy: the mean episode return climbs from 22 to 180–200 (the 200-step cap) by iteration
13 and stays there, short of the cap now and then because the policy still samples (entropy
0.55 of at most 0.69); the value loss is large (50–120: discounted returns up to ~87, not
normalised) and rises before it falls; the approximate KL stays below 0.007."""
import csv
import math

import torch
import torch.nn as nn

ENVS, STEPS, ITERS = 16, 128, 40
GAMMA, LAM, CLIP = 0.99, 0.95, 0.2


class CartPoles:
    """Vectorised cart-pole (Barto, Sutton & Anderson), state (x, x_dot, theta, theta_dot)."""

    def __init__(self, n, g):
        self.n, self.g = n, g
        self.state = self.fresh(n)
        self.t = torch.zeros(n, dtype=torch.long)

    def fresh(self, k):
        return 0.1 * torch.rand(k, 4, generator=self.g) - 0.05

    def step(self, action):
        x, x_dot, th, th_dot = self.state.unbind(1)
        force = 10.0 * (2 * action.float() - 1)
        cos, sin = torch.cos(th), torch.sin(th)
        temp = (force + 0.05 * th_dot ** 2 * sin) / 1.1
        th_acc = (9.8 * sin - cos * temp) / (0.5 * (4 / 3 - 0.1 * cos ** 2 / 1.1))
        x_acc = temp - 0.05 * th_acc * cos / 1.1
        self.state = torch.stack([x + 0.02 * x_dot, x_dot + 0.02 * x_acc,
                                  th + 0.02 * th_dot, th_dot + 0.02 * th_acc], 1)
        self.t += 1
        failed = (self.state[:, 0].abs() > 2.4) | (self.state[:, 2].abs() > 12 * math.pi / 180)
        done = failed | (self.t >= 200)
        if done.any():
            self.state[done] = self.fresh(int(done.sum()))
            self.t[done] = 0
        return self.state.clone(), torch.ones(self.n), done, failed


class ActorCritic(nn.Module):
    def __init__(self):
        super().__init__()
        self.actor = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                   nn.Linear(64, 2))
        self.critic = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                    nn.Linear(64, 1))
        nn.init.orthogonal_(self.actor[-1].weight, 0.01)
        nn.init.zeros_(self.actor[-1].bias)

    def forward(self, obs):
        return self.actor(obs), self.critic(obs).squeeze(-1)


def build():
    torch.manual_seed(0)
    return ActorCritic()


def main():
    from _thirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    env = CartPoles(ENVS, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-5)
    anneal = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: 1 - i / ITERS)
    f = open(out / "ppo_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["iteration", "env_steps", "episode_return", "episodes", "policy_loss",
                  "value_loss", "entropy", "approx_kl", "clip_frac"])
    obs = env.state.clone()
    running = torch.zeros(ENVS)
    for it in range(ITERS):
        buf = {k: [] for k in ("obs", "act", "logp", "val", "rew", "done", "failed")}
        finished = []
        with torch.no_grad():
            for _ in range(STEPS):
                logits, value = net(obs)
                dist = torch.distributions.Categorical(logits=logits)
                u = torch.rand(ENVS, generator=g)
                act = (u > dist.probs[:, 0]).long()
                nxt, rew, done, failed = env.step(act)
                for k, v in zip(buf, (obs, act, dist.log_prob(act), value, rew, done, failed),
                                strict=True):
                    buf[k].append(v)
                running += rew
                finished += running[done].tolist()
                running[done] = 0
                obs = nxt
            _, last_value = net(obs)
        b = {k: torch.stack(v) for k, v in buf.items()}  # (STEPS, ENVS)
        adv = torch.zeros(STEPS, ENVS)
        gae = torch.zeros(ENVS)
        for t in reversed(range(STEPS)):
            next_v = last_value if t == STEPS - 1 else b["val"][t + 1]
            next_v = torch.where(b["done"][t], torch.zeros(ENVS), next_v)
            # a time-limit cut is not a failure: bootstrap from the value of the cut state
            next_v = torch.where(b["done"][t] & ~b["failed"][t], b["val"][t], next_v)
            delta = b["rew"][t] + GAMMA * next_v - b["val"][t]
            gae = delta + GAMMA * LAM * (~b["done"][t]).float() * gae
            adv[t] = gae
        ret = adv + b["val"]
        flat = {k: v.reshape(STEPS * ENVS, *v.shape[2:]) for k, v in b.items()}
        adv, ret = adv.reshape(-1), ret.reshape(-1)
        stats = []
        for _ in range(4):
            for idx in torch.randperm(STEPS * ENVS, generator=g).split(256):
                logits, value = net(flat["obs"][idx])
                dist = torch.distributions.Categorical(logits=logits)
                logp = dist.log_prob(flat["act"][idx])
                ratio = torch.exp(logp - flat["logp"][idx])
                a = (adv[idx] - adv[idx].mean()) / (adv[idx].std() + 1e-8)
                pg = -torch.min(ratio * a, ratio.clamp(1 - CLIP, 1 + CLIP) * a).mean()
                vloss = (value - ret[idx]).pow(2).mean()
                ent = dist.entropy().mean()
                loss = pg + 0.5 * vloss - 0.01 * ent
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 0.5)
                opt.step()
                with torch.no_grad():
                    kl = ((ratio - 1) - torch.log(ratio)).mean()
                    clipped = ((ratio - 1).abs() > CLIP).float().mean()
                stats.append([pg.item(), vloss.item(), ent.item(), kl.item(), clipped.item()])
        anneal.step()
        s = torch.tensor(stats).mean(0).tolist()
        mean_ret = sum(finished) / len(finished) if finished else float("nan")
        log.writerow([it, (it + 1) * STEPS * ENVS, round(mean_ret, 2), len(finished)]
                     + [round(v, 5) for v in s])
        print(it, round(mean_ret, 1), len(finished), [round(v, 4) for v in s])
    f.close()
    torch.save({"actor_critic": net.state_dict(), "adam": opt.state_dict(), "iteration": it,
                "env_steps": (it + 1) * STEPS * ENVS}, out / "ppo_cartpole.pt")
    finish(out, __file__, (flat["obs"][:256], flat["act"][:256]), causes=[],
           checkpoint="ppo_cartpole.pt", log="ppo_log.csv",
           what="PPO actor-critic on a hand-written vectorised cart-pole (healthy)")


if __name__ == "__main__":
    main()
