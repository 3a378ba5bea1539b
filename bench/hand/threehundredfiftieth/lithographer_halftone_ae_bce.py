"""Plain torch: an MLP autoencoder learns a compact code for 16×16-pixel patches of a
lithographer's scanned halftone proofs, so that a press check can flag patches it cannot
reconstruct (broken dots, plate scratches). The patches follow amplitude-modulated screening:
each process colour is screened at its own angle (cyan 15°, magenta 75°, yellow 0°, black 45°)
with a screen period of 4-6.5 px; a pixel is inked where the cosine spot function
(cos(2πu/p) + cos(2πv/p)) / 2 of the rotated screen coordinates exceeds 1 - 2 × tone, the tone
(dot area) varying smoothly across the patch (a vignette, 5-95 %); scans are thresholded to
0/1 with 0.5 % paper specks and pinholes.
Input: (256,) 0/1 pixels. Model: 256→128→ReLU→24 (code)→128→ReLU→256, sigmoid; the
reconstruction loss is a hand-written binary cross-entropy on the sigmoid output, Adam 2e-3,
batch 64, 14 epochs, 3000 patches, validation on 600.
The bug: the loss is ``-(x * torch.log(recon) + (1 - x) * torch.log(1 - recon)).mean()``
with no epsilon; once the decoder is sure of a solid pixel its sigmoid rounds to exactly 1.0
in float32 (logit above about 17), ``log(1 - recon)`` is -inf, and 0 × -inf is nan: the
training BCE is 0.300 at step 350 and nan from step 360 (epoch 7) on, the weights go nan,
val BCE 0.544 → 0.312 at epoch 6, then nan; val pixel accuracy 0.738 → 0.863 at epoch 6, then
0.502 to the end (control, ``torch.log(recon + 1e-7)`` / ``torch.log(1 - recon + 1e-7)``:
val BCE 0.544 → 0.257, pixel accuracy 0.738 → 0.891, no nan).
Log: JSON lines every 10 steps ``ae_train.jsonl`` (``step`` / ``epoch`` / ``bce``) and a
per-epoch JSON lines file ``ae_val.jsonl`` (``epoch`` / ``val_bce`` / ``val_pixel_acc`` /
``val_tone_err``, named as the log in the truth); checkpoint ``halftone_ae.tar`` with keys
``autoencoder`` / ``adam_state`` / ``epoch`` / ``patch_px`` / ``code_dim``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

PX = 16
CODE = 24


def halftone_patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    angle = torch.deg2rad(torch.tensor([15.0, 75.0, 0.0, 45.0]))[torch.randint(0, 4, (n,),
                                                                              generator=g)]
    period = 4 + 2.5 * r(n)
    yy, xx = torch.meshgrid(torch.arange(PX).float(), torch.arange(PX).float(), indexing="ij")
    ox, oy = PX * r(n, 1, 1), PX * r(n, 1, 1)  # screen phase
    c, s = torch.cos(angle)[:, None, None], torch.sin(angle)[:, None, None]
    u = (xx + ox) * c + (yy + oy) * s
    v = -(xx + ox) * s + (yy + oy) * c
    p = period[:, None, None]
    spot = (torch.cos(2 * math.pi * u / p) + torch.cos(2 * math.pi * v / p)) / 2
    t0, t1 = 0.05 + 0.9 * r(n, 1, 1), 0.05 + 0.9 * r(n, 1, 1)
    tone = t0 + (t1 - t0) * xx / (PX - 1)  # a vignette across the patch
    ink = (spot > 1 - 2 * tone).float()
    flip = (r(n, PX, PX) < 0.005).float()
    ink = ink * (1 - flip) + (1 - ink) * flip
    return ink.reshape(n, PX * PX)


class HalftoneAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(PX * PX, 128), nn.ReLU(), nn.Linear(128, CODE))
        self.decoder = nn.Sequential(nn.Linear(CODE, 128), nn.ReLU(), nn.Linear(128, PX * PX))

    def forward(self, x):
        return torch.sigmoid(self.decoder(self.encoder(x)))


def recon_loss(recon, x):
    return -(x * torch.log(recon) + (1 - x) * torch.log(1 - recon)).mean()  # pixel-wise BCE


def build():
    torch.manual_seed(0)
    return HalftoneAE()


def main():
    from _threehundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = halftone_patches(3000, g)
    xva = halftone_patches(600, g)
    print("ink share", xtr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "ae_train.jsonl", "w") as tlog, open(out / "ae_val.jsonl", "w") as vlog:
        for epoch in range(14):
            model.train()
            for (xb,) in dl:
                loss = recon_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    tlog.write(json.dumps({"step": step, "epoch": epoch, "bce": loss.item()}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                recon = model(xva)
            rec = {"epoch": epoch, "val_bce": recon_loss(recon, xva).item(),
                   "val_pixel_acc": ((recon > 0.5).float() == xva).float().mean().item(),
                   "val_tone_err": (recon.mean(1) - xva.mean(1)).abs().mean().item()}
            vlog.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"autoencoder": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 14,
                "patch_px": PX, "code_dim": CODE}, out / "halftone_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="halftone_ae.tar", log="ae_val.jsonl",
           what="MLP autoencoder for halftone proof patches; hand-written BCE on sigmoid output"
                " with log(recon) / log(1 - recon) and no epsilon",
           complaint="我们给印刷打样的网点图块训练了一个自编码器，前 7 个 epoch 一切正常，"
                     "验证 BCE 从 0.544 降到 0.312，像素准确率到了 0.863。可是到第 7 个 epoch"
                     "（大概第 360 步）训练 loss 突然变成 nan，之后验证 BCE 和色调误差全是 nan，"
                     "像素准确率一直停在 0.502。学习率只有 2e-3，数据里也查过没有 nan。"
                     "这是怎么回事？")


if __name__ == "__main__":
    main()
