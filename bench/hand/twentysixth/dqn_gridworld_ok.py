"""DQN on a hand-written 6x6 grid world: a courier starts in the top-left corner and must
reach the depot in the bottom-right around a wall with one gap; +1 at the depot, -0.01 per
move, -0.05 for bumping into a wall, episodes end after 40 moves. One-hot state (36), Q-net
36-64-64-4, replay buffer of 5000, batch 32, gamma 0.95, epsilon 1 -> 0.05 over the first
2000 steps, the target network copied every 200 steps, Huber loss on Keras-style targets
(the online Q-values with the taken action's entry replaced by r + gamma * max Q_target),
Adam lr 1e-3, 4000 environment steps. Per episode the log holds the return, the length,
epsilon and the mean TD loss (the greedy return every 10th episode). Healthy: the greedy
return reaches the optimum (0.91, 10 moves) and the last episodes' returns are 0.86-0.91
(epsilon 0.05 still wanders; one episode at -1.0 late on); the TD loss is tiny and *rises*
from ~1e-6 to 1e-4-1e-3 in the middle (the values grow from 0 towards 0.9 and the target
network jumps every 200 steps) before falling back; the per-episode returns are noisy."""
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 6
WALL = {(3, c) for c in range(N) if c != 4}
MOVES = [(-1, 0), (1, 0), (0, -1), (0, 1)]


def step_env(pos, a):
    r, c = pos[0] + MOVES[a][0], pos[1] + MOVES[a][1]
    if not (0 <= r < N and 0 <= c < N) or (r, c) in WALL:
        return pos, -0.05, False
    if (r, c) == (N - 1, N - 1):
        return (r, c), 1.0, True
    return (r, c), -0.01, False


def onehot(pos):
    x = torch.zeros(N * N)
    x[pos[0] * N + pos[1]] = 1.0
    return x


class QNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(N * N, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return QNet()


def greedy_return(q):
    pos, ret = (0, 0), 0.0
    for _ in range(40):
        with torch.no_grad():
            a = int(q(onehot(pos)[None]).argmax())
        pos, r, done = step_env(pos, a)
        ret += r
        if done:
            break
    return ret


def main():
    from _twentysixth import finish, out_dir
    out = out_dir(__file__)
    random.seed(0)
    q = build()
    target = QNet()
    target.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=1e-3)
    buffer, gamma, step, episode = [], 0.95, 0, 0
    log = open(out / "dqn_episodes.jsonl", "w")
    while step < 4000:
        pos, ret, losses, moves = (0, 0), 0.0, [], 0
        while moves < 40:
            moves += 1
            eps = max(0.05, 1.0 - step / 2000 * 0.95)
            if random.random() < eps:
                a = random.randrange(4)
            else:
                with torch.no_grad():
                    a = int(q(onehot(pos)[None]).argmax())
            nxt, r, done = step_env(pos, a)
            buffer.append((onehot(pos), a, r, onehot(nxt), float(done)))
            buffer = buffer[-5000:]
            pos, ret, step = nxt, ret + r, step + 1
            if len(buffer) >= 200:
                s, acts, rew, s2, d = zip(*random.sample(buffer, 32), strict=True)
                s, s2 = torch.stack(s), torch.stack(s2)
                acts = torch.tensor(acts)
                with torch.no_grad():
                    y = torch.tensor(rew) + gamma * (1 - torch.tensor(d)) * target(s2).max(1)[0]
                    targets = q(s).clone()
                    targets[torch.arange(32), acts] = y
                loss = F.smooth_l1_loss(q(s), targets)
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
            if step % 200 == 0:
                target.load_state_dict(q.state_dict())
            if done:
                break
        rec = {"episode": episode, "step": step, "return": round(ret, 3), "length": moves,
               "epsilon": round(eps, 3),
               "td_loss": float(f"{sum(losses) / len(losses):.3g}") if losses else None}
        if episode % 10 == 0:
            rec["greedy_return"] = round(greedy_return(q), 3)
        log.write(json.dumps(rec) + "\n")
        episode += 1
    log.close()
    print(rec, greedy_return(q))
    torch.save({"model_state_dict": q.state_dict(), "target_state_dict": target.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "step": step, "episode": episode},
               out / "dqn_grid.pt")
    finish(out, __file__, (s, targets), causes=[], checkpoint="dqn_grid.pt",
           log="dqn_episodes.jsonl",
           what="DQN on a 6x6 grid world, replay + target network every 200 steps (healthy)")


if __name__ == "__main__":
    main()
