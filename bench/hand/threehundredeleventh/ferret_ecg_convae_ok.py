"""Plain torch: a 1-D convolutional autoencoder compresses single heartbeats cut from the
ECG of pet ferrets under light sedation at an exotic-animal clinic (80 samples around the
R peak, 500 Hz), so the vet can later flag beats it reconstructs badly. A ferret beat: a
small P wave, a tall narrow QRS, a broad T wave; heart rate 200-250 bpm shifts the T wave,
the lead position scales the QRS, some ferrets show a deep S, and the baseline wanders.
Input: (1, 80) millivolts / 1.5, the same as the target.
Model: conv 1→16 (k 7, stride 2) + GELU, conv 16→32 (k 5, stride 2) + GELU, linear
32·20→10 (code), linear 10→32·20, transposed conv 32→16 (stride 2) + GELU, transposed
conv 16→1 (stride 2); MSE, RMSprop 1e-3 with MultiStepLR (×0.3 at epochs 8 and 12),
batch 32, 14 epochs of 1500 beats, validation on 400.
Healthy; numbers in the README.
Log: JSON lines ``beats_train.jsonl`` (``{"it", "recon"}`` every 25 iterations) and a
separate per-epoch JSON lines ``beats_val.jsonl`` (``{"ep", "lr", "recon_val",
"recon_val_deep_s"}``); checkpoint ``ferret_ecg_ae.tar`` with keys ``encoder_decoder`` /
``rmsprop`` / ``milestones`` / ``epochs_done`` / ``mv_scale``."""
import json

import torch
import torch.nn as nn

N = 80


def beats(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float()
    bump = lambda c, w, a: a * torch.exp(-((t - c) / w) ** 2)  # noqa: E731
    qrs = 1.2 + 0.8 * r(n, 1)
    hr = 200 + 50 * r(n, 1)
    t_at = 60 - (hr - 200) / 5
    deep_s = (r(n, 1) < 0.3).float()
    x = (bump(22, 3, 0.12 + 0.05 * r(n, 1)) + bump(40, 1.6, qrs) - bump(36, 1.5, 0.25)
         - bump(44, 2, 0.2 + 0.5 * deep_s) + bump(t_at, 6, 0.3 + 0.15 * r(n, 1))
         + 0.1 * torch.sin(t / 30 + 6 * r(n, 1)) + 0.02 * torch.randn(n, N, generator=g))
    return (x / 1.5).unsqueeze(1), deep_s.squeeze(1).bool()


class BeatAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, 16, 7, stride=2, padding=3), nn.GELU(),
                                 nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.GELU(), nn.Flatten(),
                                 nn.Linear(32 * 20, 10))
        self.dec_fc = nn.Linear(10, 32 * 20)
        self.dec = nn.Sequential(nn.ConvTranspose1d(32, 16, 4, stride=2, padding=1), nn.GELU(),
                                 nn.ConvTranspose1d(16, 1, 4, stride=2, padding=1))

    def forward(self, x):
        return self.dec(self.dec_fc(self.enc(x)).view(-1, 32, 20))


def build():
    torch.manual_seed(0)
    return BeatAE()


def main():
    from _threehundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, _ = beats(1500, g)
    xva, sva = beats(400, g)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 12], gamma=0.3)
    mse = nn.MSELoss()
    it = 0
    with open(out / "beats_train.jsonl", "w") as ft, open(out / "beats_val.jsonl", "w") as fv:
        for ep in range(14):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 32):
                xb = xtr[perm[i:i + 32]]
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                if it % 25 == 0:
                    ft.write(json.dumps({"it": it, "recon": round(loss.item(), 7)}) + "\n")
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean((1, 2))
            rec = {"ep": ep, "lr": lr, "recon_val": round(err.mean().item(), 7),
                   "recon_val_deep_s": round(err[sva].mean().item(), 7)}
            fv.write(json.dumps(rec) + "\n")
            print(rec, loss.item())
    torch.save({"encoder_decoder": model.state_dict(), "rmsprop": opt.state_dict(),
                "milestones": sched.state_dict(), "epochs_done": 14, "mv_scale": 1.5},
               out / "ferret_ecg_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="ferret_ecg_ae.tar", log="beats_val.jsonl",
           what="1-D convolutional autoencoder over single heartbeats from sedated pet ferrets'"
                " ECGs (healthy)")


if __name__ == "__main__":
    main()
