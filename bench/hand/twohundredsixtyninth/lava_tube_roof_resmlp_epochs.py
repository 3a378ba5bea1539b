"""Plain torch: a residual MLP grades the roof of a surveyed lava tube segment for guided
tours (3 classes: safe / monitor / close to tours) from 9 measurements a survey team
takes: roof thickness to the surface (m), passage span (m), span / thickness ratio, fracture
density (per m), count of fallen blocks on the floor, seepage drips per minute, roof shape
(arched → flat, 0-1), pahoehoe vs a'a roof rock (0/1) and years since the last seismic swarm.
The grade follows a stability score (span over thickness, fractures, fresh blocks and flat
roofs count against; thick arched pahoehoe roofs for it) cut at two thresholds, and 12 % of
grades are a different surveyor's call (label noise). Only 120 graded segments exist
(standardised), validated on 300 more graded later. Linear 9→128 → 3 residual blocks
(LayerNorm-Linear 128→128-GELU-Linear) → Linear 128→3, cross-entropy, AdamW 2e-4 (weight decay
0), shuffled minibatches of 30 (4 steps an epoch).
The bug: ``EPOCHS = 400  # tiny table, epochs are cheap, let it converge``, with no early
stopping, no dropout and no weight decay; the last epoch's weights are saved. Result: val CE is
lowest at epoch 16 (0.664, val acc 0.760) and climbs from there: 1.12 at epoch 50, 1.72 at 100,
2.43 at 400, while train CE goes 0.367 (epoch 15) → 5e-5 with train acc 1.0 from epoch 43; val
acc 0.77-0.78 at epochs 20-40 and 0.740 at the end.
Control (``EPOCHS = 15``): train CE 1.16 → 0.367 (train acc 0.917), val CE 1.05 → 0.667, val acc
0.473 → 0.753.
Log: a CSV per epoch (``ep`` / ``loss`` / ``acc`` / ``val_loss`` / ``val_acc``) in
``roof_grades.csv``; checkpoint ``roof_resmlp.pt`` with keys ``model_state`` / ``opt_state`` /
``ep`` / ``mu`` / ``sigma`` / ``grades``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["safe", "monitor", "close"]
EPOCHS = 400  # tiny table, epochs are cheap, let it converge


def segments(n, g):
    thick = 1 + 9 * torch.rand(n, generator=g)
    span = 2 + 13 * torch.rand(n, generator=g)
    frac = 3 * torch.rand(n, generator=g)
    blocks = torch.poisson(2 * frac, generator=g)
    drips = 20 * torch.rand(n, generator=g)
    flat = torch.rand(n, generator=g)
    pahoehoe = (torch.rand(n, generator=g) < 0.6).float()
    years = 30 * torch.rand(n, generator=g)
    score = (1.2 * span / thick + 0.9 * frac + 0.3 * blocks + 1.0 * flat - 0.8 * pahoehoe
             + 0.02 * drips - 0.02 * years)
    y = (score > 2.3).long() + (score > 4.0).long()
    noisy = torch.rand(n, generator=g) < 0.12
    y = torch.where(noisy, torch.randint(0, 3, (n,), generator=g), y)
    x = torch.stack([thick, span, span / thick, frac, blocks, drips, flat, pahoehoe, years], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 128), Block(128), Block(128), Block(128), nn.Linear(128, 3))


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = segments(120, g)
    rva, yva = segments(300, g)
    print("grades", torch.bincount(ytr, minlength=3).tolist(), torch.bincount(yva, minlength=3).tolist())
    mu, sigma = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=30, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=0.0)
    with open(out / "roof_grades.csv", "w") as f:
        f.write("ep,loss,acc,val_loss,val_acc\n")
        for ep in range(1, EPOCHS + 1):
            model.train()
            tot, hit = 0.0, 0
            for xb, yb in loader:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            vl = F.cross_entropy(logits, yva).item()
            va = (logits.argmax(1) == yva).float().mean().item()
            f.write(f"{ep},{tot / len(ytr):.5f},{hit / len(ytr):.4f},{vl:.5f},{va:.4f}\n")
            if ep % 20 == 0:
                print(ep, round(tot / len(ytr), 5), round(hit / len(ytr), 4), round(vl, 5), round(va, 4))
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "ep": EPOCHS,
                "mu": mu, "sigma": sigma, "grades": GRADES}, out / "roof_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="roof_resmlp.pt", log="roof_grades.csv",
           what="residual MLP grading lava tube roofs from 120 segments, trained 400 epochs"
                " with no regularisation or early stopping",
           complaint=("Roof grading model for our lava tube survey: training accuracy hits"
                      " 100 % and the training loss goes to basically zero, but the"
                      " validation loss is 2.4 at the end, more than three times what it"
                      " was early on, and validation accuracy is only 74 %. We have 120"
                      " graded segments and trained 400 epochs with AdamW. Is the model"
                      " too weak, or do we need more features?"))


if __name__ == "__main__":
    main()
