"""Plain torch: an autoencoder learns the gas-chromatography profiles of the rose-type oils
an alchemist's perfumery distils and buys, so a lot whose profile it cannot rebuild can be
sent for a full analysis. Each profile is the share of 48 compounds (the peaks of the
in-house GC method, in elution order, roughly by boiling point). A lot is a blend of four
source oils (rose otto, geranium, palmarosa, rhodinol fraction; fixed peak patterns) in
random proportions, and which part of the distillation it was cut from shifts it: early cuts
are richer in the light (early) compounds, by exp(-k × elution index) with k from the cut;
plus peak-integration noise. Input: the 48 shares in % (rows sum to 100), as the model
consumes them. Model: encoder 48→32→ReLU→4, decoder 4→32→ReLU→48; MSE, SGD with momentum
0.9, batch 32, 25 epochs, 1500 lots, validation on 300.
The bug: the learning rate is 0.05, carried over from an earlier project whose inputs were
standardised; on raw percentages the first steps overshoot and the net settles on the
average profile: batch MSE 16.0 at step 10, 2.6 at step 40 and then 1.2-2.9 for the rest of the
run, val MSE 2.19 → 2.15 (the per-compound variance is 2.14), worst lot 13.8 → 11.5 (control,
``lr=0.005``: val MSE 1.99 → 0.109, worst lot 13.3 → 0.44).
Log: JSON lines ``gc_ae.jsonl``, ``{"step", "epoch", "recon_mse"}`` every 10 steps and
``{"epoch", "val_recon_mse", "val_worst_lot_mse"}`` at each epoch's end; checkpoint
``gc_profile_ae.pt`` with keys ``autoencoder`` / ``sgd`` / ``epoch`` / ``n_compounds`` /
``share_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

K = 48


def source_oils(g):
    idx = torch.arange(K).float()
    oils = []
    for centres, heights in [([8, 20, 22, 27, 33], [3, 10, 6, 4, 2]),   # rose otto
                             ([6, 12, 20, 22, 30], [4, 5, 8, 5, 3]),    # geranium
                             ([10, 22, 24, 38], [2, 12, 3, 2]),         # palmarosa
                             ([20, 21, 27, 42], [12, 4, 3, 1])]:        # rhodinol fraction
        p = 0.05 * torch.ones(K)
        for c, h in zip(centres, heights):  # noqa: B905
            p = p + h * torch.exp(-((idx - c) / 1.2) ** 2)
        p = p * (1 + 0.1 * torch.rand(K, generator=g))
        oils.append(p / p.sum())
    return torch.stack(oils)


def lots(n, oils, g):
    mix = torch.distributions.Dirichlet(torch.full((4,), 0.7)).sample((n,))
    prof = mix @ oils
    k = 0.06 * (torch.rand(n, 1, generator=g) - 0.5)
    prof = prof * torch.exp(-k * torch.arange(K).float())
    prof = prof * (1 + 0.03 * torch.randn(n, K, generator=g)).clamp(min=0)
    return 100 * prof / prof.sum(1, keepdim=True)


class ProfileAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(K, 32), nn.ReLU(), nn.Linear(32, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, K))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return ProfileAE()


def main():
    from _threehundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)  # the Dirichlet blend draws use the global generator
    oils = source_oils(g)
    xtr = lots(1500, oils, g)
    xva = lots(300, oils, g)
    print("variance per compound (sum)", xtr.var(0).sum().item() / K)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)  # step size from the last project
    mse = nn.MSELoss()
    step = 0
    with open(out / "gc_ae.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            for (xb,) in dl:
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "recon_mse": round(loss.item(), 7)}) + "\n")
            model.eval()
            with torch.no_grad():
                per_lot = ((model(xva) - xva) ** 2).mean(1)
            rec = {"epoch": epoch, "val_recon_mse": round(per_lot.mean().item(), 7),
                   "val_worst_lot_mse": round(per_lot.max().item(), 7)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"autoencoder": model.state_dict(), "sgd": opt.state_dict(), "epoch": 25,
                "n_compounds": K, "share_scale": 100.0}, out / "gc_profile_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_high"],
           checkpoint="gc_profile_ae.pt", log="gc_ae.jsonl",
           what="autoencoder of essential-oil GC profiles (48 compound shares); SGD (momentum"
                " 0.9) at lr 0.05 on % inputs",
           complaint="GC profile autoencoder for our incoming oil lots: the reconstruction"
                     " MSE drops from 16 to about 2 in the first epoch and then just sits there"
                     " for all 25 epochs (val 2.15 at the end), which is about what I'd get by"
                     " returning the average profile for every lot. The worst lot is off by 11.5."
                     " Bottleneck is 4, 1500 profiles.")


if __name__ == "__main__":
    main()
