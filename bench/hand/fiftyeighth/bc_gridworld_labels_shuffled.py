"""Behaviour cloning on a synthetic 8×8 gridworld with walls: an expert (breadth-first shortest
path) walks from a random start to a random goal; every visited state becomes a demonstration
(agent one-hot 64 + goal one-hot 64 + the 4 wall bits around the agent = 132 features) with the
expert's action (up, down, left, right; 4 classes). 600 episodes, split by episode 500 / 100.
An MLP policy (132 → 128 → 128 → 4, ReLU, dropout 0.1), cross-entropy, Adam 1e-3, batch 128,
12 epochs; the log (JSON lines) holds per epoch the train loss and the val loss / action
accuracy, plus the success rate of 100 greedy roll-outs (≤ 30 moves) from held-out
start/goal pairs.
Bug: the demonstrations are shuffled before batching with two separate permutations,
``states = states[torch.randperm(n)]`` and ``actions = actions[torch.randperm(n)]`` (the
author meant one ``perm`` for both): every state is paired with a random other state's action,
so the policy can only learn the action frequencies."""
import json
from collections import deque

import torch
import torch.nn as nn

N, ACTIONS = 8, 4
MOVES = [(-1, 0), (1, 0), (0, -1), (0, 1)]
FEATS = 2 * N * N + 4


def make_walls(g):
    walls = torch.rand(N, N, generator=g) < 0.12
    return walls


def bfs(walls, start, goal):
    prev = {start: None}
    q = deque([start])
    while q:
        c = q.popleft()
        if c == goal:
            break
        for a, (dr, dc) in enumerate(MOVES):
            r, col = c[0] + dr, c[1] + dc
            if 0 <= r < N and 0 <= col < N and not walls[r, col] and (r, col) not in prev:
                prev[(r, col)] = (c, a)
                q.append((r, col))
    if goal not in prev:
        return None
    path, c = [], goal
    while prev[c] is not None:
        p, a = prev[c]
        path.append((p, a))
        c = p
    return path[::-1]


def encode(walls, pos, goal):
    f = torch.zeros(FEATS)
    f[pos[0] * N + pos[1]] = 1
    f[N * N + goal[0] * N + goal[1]] = 1
    for a, (dr, dc) in enumerate(MOVES):
        r, c = pos[0] + dr, pos[1] + dc
        f[2 * N * N + a] = float(not (0 <= r < N and 0 <= c < N) or bool(walls[r, c]))
    return f


def free_cell(walls, g):
    while True:
        r, c = (int(v) for v in torch.randint(0, N, (2,), generator=g))
        if not walls[r, c]:
            return r, c


def episodes(walls, n, g):
    out = []
    while len(out) < n:
        s, t = free_cell(walls, g), free_cell(walls, g)
        path = bfs(walls, s, t) if s != t else None
        if path:
            out.append((s, t, path))
    return out


def to_tensors(walls, eps):
    xs, ys = [], []
    for _, goal, path in eps:
        for pos, a in path:
            xs.append(encode(walls, pos, goal))
            ys.append(a)
    return torch.stack(xs), torch.tensor(ys)


def rollouts(model, walls, eps):
    wins = 0
    for start, goal, _ in eps:
        pos = start
        for _ in range(30):
            with torch.no_grad():
                a = int(model(encode(walls, pos, goal)[None]).argmax())
            r, c = pos[0] + MOVES[a][0], pos[1] + MOVES[a][1]
            if 0 <= r < N and 0 <= c < N and not walls[r, c]:
                pos = (r, c)
            if pos == goal:
                wins += 1
                break
    return wins / len(eps)


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(FEATS, 128), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, ACTIONS))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return Policy()


def main():
    from _fiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    walls = make_walls(g)
    eps = episodes(walls, 700, g)
    states, actions = to_tensors(walls, eps[:500])
    vx, vy = to_tensors(walls, eps[500:600])
    n = len(states)
    states = states[torch.randperm(n, generator=g)]
    actions = actions[torch.randperm(n, generator=g)]
    print("demos", n, "val", len(vx), "action freq", torch.bincount(vy, minlength=4).tolist())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = nn.CrossEntropyLoss()
    log = open(out / "bc_log.jsonl", "w")
    for epoch in range(12):
        model.train()
        tot = 0.0
        for idx in torch.arange(n).split(128):
            loss = lossf(model(states[idx]), actions[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = lossf(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        succ = rollouts(model, walls, eps[600:])
        rec = {"epoch": epoch, "loss": round(tot / n, 4), "val_loss": round(vl, 4),
               "val_action_acc": round(acc, 4), "rollout_success": round(succ, 3)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"policy": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch,
                "n_demos": n}, out / "bc_policy.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["labels_wrong"],
           checkpoint="bc_policy.pt", log="bc_log.jsonl",
           what="behaviour-cloning MLP on a gridworld, states and actions shuffled apart",
           complaint="the cloned policy never reaches the goal: it walks into walls or "
                     "oscillates, the val action accuracy stays around 25 % even though the "
                     "expert is a deterministic shortest-path planner")


if __name__ == "__main__":
    main()
