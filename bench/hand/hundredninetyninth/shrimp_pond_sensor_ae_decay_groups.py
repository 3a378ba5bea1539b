"""Plain torch: an autoencoder compresses a shrimp farm pond's 24-hour water-quality profile
(16 numbers per pond-day: dissolved oxygen at dawn / noon / dusk / night, pH swing, water
temperature, salinity, ammonia, nitrite, turbidity, aerator hours, feed given, ...) into a 4-number
code that the farm uses to flag odd pond-days by their reconstruction error. The 16 readings are
driven by 4 hidden factors (algae bloom, stocking load, weather, water exchange) through
nonlinear mixes, plus noise. Encoder 16-64-4, decoder 4-64-16 (Tanh), MSE, AdamW 3e-3 with weight
decay 1e-4 on the weights only (two parameter groups), batch 64, 25 epochs of 2048 pond-days.
Log: JSON lines every 8 steps (``step``, ``epoch``, ``recon``) and one per epoch (``epoch``,
``val_recon``); checkpoint ``state_dict`` / ``optimizer`` / ``epoch`` / ``step``.
The bug: the two parameter groups are collected from ``model.encoder.named_parameters()`` (a
line copied from a fine-tuning script where only the encoder was trained), so the decoder's
weights never get into the optimizer and stay at their random init: the encoder can only pick
points on a fixed random 4-D surface. Val recon MSE 0.882 after epoch 1, 0.847 at epoch 10, 0.833 at epoch 25
(the data are standardised, variance 1.0). Control (``model.named_parameters()``): val recon
0.263 after epoch 1, 0.070 at epoch 10, 0.058 at epoch 25."""
import json
import sys

import torch
import torch.nn as nn


def pond_days(n, g):
    z = torch.randn(n, 4, generator=g)
    mix = torch.randn(4, 16, generator=torch.Generator().manual_seed(7)) / 2
    x = torch.tanh(z @ mix) * 1.5 + 0.3 * (z[:, :1] * z[:, 1:2]) * mix[0]
    x = x + 0.2 * torch.randn(n, 16, generator=g)
    return (x - x.mean(0)) / x.std(0)


class PondAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(16, 64), nn.Tanh(), nn.Linear(64, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 16))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return PondAE()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = pond_days(2560, g)
    xtr, xva = x[:2048], x[2048:]
    model = build()
    named = list(model.encoder.named_parameters())
    groups = [{"params": [p for n, p in named if n.endswith("weight")], "weight_decay": 1e-4},
              {"params": [p for n, p in named if n.endswith("bias")], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=3e-3)
    step = 0
    with open(out / "train_log.jsonl", "w") as log:
        for epoch in range(1, 26):
            model.train()
            perm = torch.randperm(2048, generator=g)
            for i in range(0, 2048, 64):
                xb = xtr[perm[i:i + 64]]
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 8 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "recon": round(loss.item(), 5)}) + "\n")
            model.eval()
            with torch.no_grad():
                vr = nn.functional.mse_loss(model(xva), xva).item()
            log.write(json.dumps({"epoch": epoch, "val_recon": round(vr, 5)}) + "\n")
            print(epoch, round(loss.item(), 4), round(vr, 4))
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25,
                "step": step}, out / "pond_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="pond_ae.pt", log="train_log.jsonl",
           what="shrimp-pond water-quality autoencoder whose decoder is left out of the optimizer",
           complaint=("my pond-day autoencoder won't reconstruct: val MSE is stuck around 0.83 on"
                      " standardised data after 25 epochs, a PCA with 4 components does better."
                      " Tried lr 3e-3, still the same. Is a 4-number code just too small?"))


if __name__ == "__main__":
    main()
