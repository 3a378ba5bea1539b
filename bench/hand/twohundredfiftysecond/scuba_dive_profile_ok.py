"""Plain torch: a 1-D CNN with BatchNorm sorts a scuba dive computer's depth log into square
profile / multilevel / decompression dive (3 classes): 40 depth readings, one per 90 s, in
metres / 20. A square dive goes straight to one depth and comes back; a multilevel dive steps
up through 2–3 shallower levels; a decompression dive goes deeper and hangs at 6 m and 3 m
stops before surfacing; bottom depth, times and sensor noise vary. Conv1d(1→16, 5)-BN-ReLU,
Conv1d(16→32, 5)-BN-ReLU-pool, Conv1d(32→32, 3)-BN-ReLU, global average pool, Linear(32→3);
SGD lr 0.05 momentum 0.9, batch 64, 10 epochs of 1536 logs, shuffled. Log ``dives.jsonl``,
one JSON line per epoch (``epoch`` / ``train_loss`` / ``val_loss`` / ``val_acc``); checkpoint
``model_state_dict`` / ``optimizer_state_dict`` + ``epoch`` / ``step``.
Healthy: val accuracy 0.469 after epoch 1 (BatchNorm statistics still
settling; val loss 0.84 above the train loss 0.67), 0.93 at epoch 2, then 0.992–1.0; val
loss 0.031 → 0.0076–0.056 with small bumps at epochs 4 and 8 (0.014 at the end)."""
import json
import sys

import torch
import torch.nn as nn

T = 40


def dives(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.zeros(n, T)
    for i in range(n):
        c = int(y[i])
        bottom = float(12 + 18 * torch.rand(1, generator=g)) + (10 if c == 2 else 0)
        down = int(torch.randint(2, 5, (1,), generator=g))
        end = int(torch.randint(22, 30, (1,), generator=g))
        prof = torch.zeros(T)
        prof[:down] = torch.linspace(0, bottom, down)
        if c == 0:
            prof[down:end] = bottom
        elif c == 1:
            cuts = sorted(torch.randint(down + 3, end - 2, (2,), generator=g).tolist())
            prof[down:cuts[0]] = bottom
            prof[cuts[0]:cuts[1]] = bottom * 0.65
            prof[cuts[1]:end] = bottom * 0.35
        else:
            prof[down:end - 8] = bottom
            prof[end - 8:end - 4] = 6
            prof[end - 4:end] = 3
        prof[end:end + 2] = torch.tensor([prof[end - 1] * 0.5, 0.0])[:T - end]
        x[i] = prof
    x = x + 0.6 * torch.randn(n, T, generator=g)
    return (x / 20).unsqueeze(1), y


class DiveCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 3))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return DiveCNN()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dives(1536, g)
    xva, yva = dives(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "dives.jsonl", "w")
    step = 0
    for epoch in range(10):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            step += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        rec = {"epoch": epoch + 1, "train_loss": round(tot / 1536, 4), "val_loss": round(vl, 4),
               "val_acc": round(va, 4)}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "step": step}, out / "dive_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="dive_cnn.pt", log="dives.jsonl",
           what="1-D CNN with BatchNorm sorting dive computer depth logs into square /"
                " multilevel / decompression dives (healthy)")


if __name__ == "__main__":
    main()
