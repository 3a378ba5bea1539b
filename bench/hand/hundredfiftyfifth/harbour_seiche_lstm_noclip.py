"""Harbour seiche warning: an LSTM reads 6 h 40 min of a harbour tide gauge (400 one-minute
samples: the semi-diurnal tide, a harbour seiche of period 8–30 min whose amplitude builds up
and decays during the window, wind chop and sensor noise, in metres, minus the gauge mean) and
regresses the peak seiche amplitude in the last hour, standardised (mean 0, std 1 over the
training set). One LSTM layer, 64 units, over all 400 steps, a linear head on the last state.
plain SGD, lr 0.9, batch 32, 8 epochs of 1024 windows; a JSON-lines log every 2
steps with the step, the training MSE and the total gradient norm (measured before the step),
and the validation MSE per epoch.
Bug: the script was adapted from the word_language_model example, but its
``torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)`` was dropped as "only needed for
text" — no gradient clipping on 400-step sequences at lr 0.9. The first epoch is quiet (grad
norm 0.06–2.4, val MSE 1.04), then in epoch 2 the grad norm goes 2.8 → 7.6 → 595 → 2.4e6 →
5.9e7 → 4e18 → inf within 16 steps (steps 40–56), the MSE from 2.6 to 2e33, and from step 58
on loss, gradients and all weights are NaN. The control (``clip_grad_norm_(..., 0.25)``, the
same lr) reaches val MSE 0.186 (train 0.099) after 8 epochs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 400
CLIP = None  # the LM example had 0.25 here


def gauge(n, g):
    t = torch.arange(T).float()[None]
    r = lambda k=1: torch.rand(n, k, generator=g)  # noqa: E731
    tide = 0.8 * torch.sin(6.283 * t / 745 + 6.283 * r())
    period = 8 + 22 * r()
    amp = 0.02 + 0.3 * r() ** 2
    onset = 100 + 250 * r()
    env = torch.sigmoid((t - onset) / 15) * torch.exp(-(t - onset).clamp(min=0) / (80 + 200 * r()))
    seiche = amp * env * torch.sin(6.283 * t / period + 6.283 * r())
    chop = 0.03 * torch.sin(6.283 * t / (2 + r()) + 6.283 * r())
    level = tide + seiche + chop + 0.01 * torch.randn(n, T, generator=g)
    # the gauge's own high-pass: level minus its 31-min running mean, in decimetres
    smooth = F.avg_pool1d(F.pad(level[:, None], (15, 15), mode="replicate"), 31, 1)[:, 0]
    target = seiche[:, -60:].abs().amax(1)
    return 10 * (level - smooth)[..., None], target


class SeicheLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 64, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h[:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return SeicheLSTM()


def main():
    from _hundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, amp = gauge(1280, g)
    mu, sd = amp[:1024].mean(), amp[:1024].std()
    y = (amp - mu) / sd
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.9)
    log = open(out / "seiche_log.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn = torch.sqrt(sum(p.grad.pow(2).sum() for p in model.parameters())).item()
            if CLIP is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
            opt.step()
            step += 1
            if step % 2 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "mse": loss.item(),
                                      "grad_norm": gn}) + "\n")
        model.eval()
        with torch.no_grad():
            vm = F.mse_loss(model(xva), yva).item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_mse": vm}) + "\n")
        print(epoch, round(loss.item(), 4), round(gn, 3), round(vm, 4))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "step": step, "target_mean": mu.item(), "target_std": sd.item()},
               out / "seiche_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="seiche_lstm.pt", log="seiche_log.jsonl",
           what="400-step LSTM regression, SGD lr 0.9, no gradient clipping",
           complaint="港口假潮（seiche）预警的 LSTM 训练到第二个 epoch 就崩了：第一个 epoch 还正常，"
                     "MSE 在 1 左右，第二个 epoch 中途 loss 突然从 2.6 跳到 737，再到 1e7、1e33，"
                     "第 58 步以后全是 NaN，验证集 MSE 也是 NaN。日志里的梯度范数从 2.8、7.6 一下子涨到 594，"
                     "再到 inf。输入是 400 个点的潮位序列，用的 SGD，学习率 0.9。")


if __name__ == "__main__":
    main()
