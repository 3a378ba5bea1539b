"""Plain torch: an LSTM reads a telegraph sounder's key signal (60 samples of key-down level
plus a second channel from the line-current meter) and tells which of 8 letters was sent (E,
T, A, N, I, M, S, O). Each letter is its Morse dot/dash pattern at a random sending speed
(dot 2–3 samples, dash three dots), a random start offset, line noise and a slowly drifting
current. LSTM(2→48), mean and max over time, Linear(96→8), Adam 1e-2, batch 32, 12 epochs of 1024
recordings, gradient clipping at 1.
Log: TSV per epoch (``ep``, ``loss``, ``acc``, ``val_loss``, ``val_acc``); checkpoint
``{"state_dict", "optimizer", "epoch", "global_step"}``.
The bug: the "shuffle once before training" block draws one permutation for the recordings and
a second one for the letters (``xtr = xtr[order]`` but ``ytr = ytr[torch.randperm(n,
generator=g)]``), so every training recording carries a random letter.
Train loss 2.078 → 2.077 in 12 epochs (ln 8 = 2.079), train accuracy
0.13–0.15, val loss 2.09–2.12, val accuracy 0.1211 (one letter for everything) every epoch.
Control (``ytr = ytr[order]``): val accuracy 0.24 after epoch 1, 0.29, 0.34, 0.52, 0.61, 0.70, 0.75, 0.88,
0.98, 0.996, 0.99, 0.94; val loss 1.91 → 0.05–0.17; train loss 0.044 at epoch 12."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 60
CODES = [".", "-", ".-", "-.", "..", "--", "...", "---"]


def recordings(n, g):
    y = torch.randint(0, 8, (n,), generator=g)
    key = torch.zeros(n, T)
    for i in range(n):
        dot = 2 + int(torch.randint(0, 2, (1,), generator=g))
        t = int(torch.randint(0, 12, (1,), generator=g))
        for c in CODES[int(y[i])]:
            ln = dot if c == "." else 3 * dot
            key[i, t:t + ln] = 1.0
            t += ln + dot
    drift = torch.cumsum(0.05 * torch.randn(n, T, generator=g), 1)
    cur = 0.8 * key + 0.2 * drift + 0.15 * torch.randn(n, T, generator=g)
    key = key + 0.2 * torch.randn(n, T, generator=g)
    return torch.stack([key, cur], 2), y


class MorseLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 48, batch_first=True)
        self.out = nn.Linear(96, 8)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(torch.cat([h.mean(1), h.amax(1)], 1))


def build():
    torch.manual_seed(0)
    return MorseLSTM()


def main():
    from _twohundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recordings(1024, g)
    xva, yva = recordings(256, g)
    n = len(xtr)
    # shuffle once before training (the recordings come grouped by operator)
    order = torch.randperm(n, generator=g)
    xtr = xtr[order]
    ytr = ytr[torch.randperm(n, generator=g)]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    lines, step = ["ep\tloss\tacc\tval_loss\tval_acc"], 0
    for ep in range(12):
        model.train()
        tot = hit = 0.0
        for i in range(0, n, 32):
            xb, yb = xtr[i:i + 32], ytr[i:i + 32]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tot += loss.item() * len(yb)
            hit += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        lines.append(f"{ep}\t{tot / n:.4f}\t{hit / n:.4f}\t{F.cross_entropy(lv, yva).item():.4f}"
                     f"\t{(lv.argmax(1) == yva).float().mean().item():.4f}")
        print(lines[-1])
    (out / "morse.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12,
                "global_step": step}, out / "morse_lstm.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="morse_lstm.ckpt", log="morse.tsv",
           what="Morse letter LSTM trained on recordings and letters shuffled by two different"
                " permutations",
           complaint="我们用 LSTM 识别电报员敲的摩尔斯字母（8 个字母，1024 条训练录音），"
                      "训练了 12 个 epoch，训练 loss 一直停在 2.08 左右（2.078 → 2.077），"
                      "训练准确率 0.13–0.15，验证准确率每个 epoch 都是 0.1211，"
                      "模型好像把所有录音都判成同一个字母。到底哪里不对？")


if __name__ == "__main__":
    main()
