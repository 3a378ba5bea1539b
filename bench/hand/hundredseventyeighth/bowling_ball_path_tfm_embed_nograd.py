"""Plain torch: a small transformer encoder predicts what a bowling ball will leave (strike,
weak 10-pin, high-hit split, light-pocket 7/4-pin) from its path down the lane, tracked by
the bowling alley's lane cameras: 24 frames of (board number, speed, lateral speed) from the
foul line to the pins. The ball skids straight along its launch angle through the oil, then
hooks after a breakpoint that depends on the oil pattern; the leave follows from where it
enters the pocket (board at the pins) and at what entry angle, plus a little luck.
Linear(3→32) + learned positions + a [CLS] token, 2 ``TransformerEncoderLayer`` (4 heads, ff
64), Linear(32→4) on the [CLS] output; AdamW 1e-3, batch 32, 12 epochs of 1024 shots; JSON
lines with the loss every 8 steps and val loss / accuracy per epoch.
The bug: the [CLS] embedding was factored into an ``embed()`` method for the coaching app's
shot map (inference only), decorated ``@torch.no_grad()``, and ``forward`` reuses it as
``self.head(self.embed(x))``; so no gradient reaches the encoder, the input projection, the
positions or the [CLS] token: only the 132 parameters of the head learn, on features of a
random encoder. Train loss 1.39 → 1.08 (mean of the first / last four logged steps), val loss
1.37 → 1.13, val accuracy 0.31 → 0.47 (training leave shares 0.29 / 0.22 / 0.26 / 0.23).
Control (the ``@torch.no_grad()`` line deleted): val accuracy 0.73 after epoch 1, 0.84 at
epoch 5, 0.79–0.86 after (0.785 at epoch 12), val loss 0.83 → 0.36–0.44."""
import json

import torch
import torch.nn as nn

T = 24


def shots(n, g):
    f = torch.linspace(0, 1, T)[None]
    launch = -4 + 8 * torch.rand(n, 1, generator=g)           # boards over the lane, outward +
    bp = 0.45 + 0.3 * torch.rand(n, 1, generator=g)           # breakpoint, share of the lane
    hook = 6 + 10 * torch.rand(n, 1, generator=g)             # boards of hook after it
    miss = 3 * torch.randn(n, 1, generator=g)                 # off the bowler's target
    start = 17.5 + hook - launch + miss                       # board at the foul line
    v0 = 17 + 4 * torch.rand(n, 1, generator=g)               # mph
    after = torch.relu(f - bp) / (1 - bp)
    board = start + launch * f - hook * after ** 2
    speed = v0 * (1 - 0.12 * f) + 0.3 * torch.randn(n, T, generator=g)
    lateral = torch.diff(board, dim=1, prepend=board[:, :1]) * T
    x = torch.stack([(board + 0.3 * torch.randn(n, T, generator=g) - 20) / 8,
                     (speed - 17) / 2, lateral / 20], 2)
    pocket = board[:, -1] - 17.5 + 0.6 * torch.randn(n, generator=g)
    angle = 2 * hook[:, 0] / (1 - bp[:, 0]) - launch[:, 0]
    y = torch.where(pocket < -2, 2, torch.where(pocket > 2, 3, torch.where(angle > 50, 0, 1)))
    return x, y


class BallPathEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.inp = nn.Linear(3, d)
        self.pos = nn.Parameter(torch.randn(1, T + 1, d) * 0.1)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, 4)

    @torch.no_grad()
    def embed(self, x):
        """[CLS] embedding of each shot (the coaching app's shot map calls this too)."""
        h = torch.cat([self.cls.expand(len(x), -1, -1), self.inp(x)], 1) + self.pos
        return self.encoder(h)[:, 0]

    def forward(self, x):
        return self.head(self.embed(x))


def build():
    torch.manual_seed(0)
    return BallPathEncoder()


def main():
    from _hundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shots(1024, g)
    xva, yva = shots(256, g)
    print("leave shares", (torch.bincount(ytr, minlength=4) / 1024).tolist())
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ce = nn.CrossEntropyLoss()
    log = open(out / "ballpath.jsonl", "w")
    global_step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = ce(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            global_step += 1
            if global_step % 8 == 0:
                log.write(json.dumps({"it": global_step, "loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rec = {"it": global_step, "epoch": epoch + 1, "val_loss": round(ce(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "global_step": global_step, "epoch": 12}, out / "ballpath_tfm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="ballpath_tfm.pt", log="ballpath.jsonl",
           what="bowling ball-path transformer whose forward goes through an embed() helper"
                " decorated @torch.no_grad(): encoder never trained",
           complaint=("Pin-leave predictor from our lane cameras (strike / 10-pin / split / "
                      "light): after 12 epochs val accuracy is only 0.47 and val loss 1.13, "
                      "it crawls up from 0.31 / 1.37 after epoch 1. Training loss ~1.39 -> "
                      "~1.08. "
                      "The leave is basically decided by entry board and angle, which you can "
                      "read off the path. AdamW 1e-3, 2-layer transformer. Should I make it "
                      "deeper?"))


if __name__ == "__main__":
    main()
