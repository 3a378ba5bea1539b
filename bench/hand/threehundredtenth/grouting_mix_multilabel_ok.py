"""Plain torch: an MLP flags which of four defects a cement-bentonite grout mix will show in
the site lab, from the batch sheet, so the grouting foreman can adjust the mix before it
is pumped into the curtain. 4 labels (multi-label, any number at once): bleed over 5 %
after 2 h, Marsh cone time over 45 s (too thick to pump), initial set over 12 h, and
pressure filtration loss too high. 7 inputs: water / cement ratio, bentonite (% of cement),
superplasticiser (% of cement), silica fume (% of cement), grout temperature (°C), mixing
time (min), minutes since mixing. Each defect is a logistic rule on the mix: bleed rises
with w/c and falls with bentonite and fume; the Marsh time rises with bentonite, fume and
age and falls with w/c and superplasticiser; set time rises with w/c and superplasticiser
and falls with temperature; filtration loss falls with bentonite and fume and longer
mixing; labels are drawn from those probabilities (lab scatter).
Input: (7,) standardised with the train mean / std. Target: (4,) 0/1 floats.
Model: 7→96→SiLU→LayerNorm→96→SiLU→4 logits; BCEWithLogits, RAdam 3e-3 with OneCycleLR
(max 3e-3) over all steps, batch 100, 14 epochs, 2500 batches of grout, validation on 600.
Healthy; numbers in the README.
Log: CSV per step ``mix_steps.csv`` (``it`` / ``bce``) and a separate per-epoch TSV
``mix_val.tsv`` (``epoch`` / ``bce_val`` / ``exact_match`` / ``f1_bleed`` / ``f1_marsh`` /
``f1_set`` / ``f1_filtration``, named as the log in the truth); checkpoint
``grout_mix.pt`` with keys ``mlp`` / ``radam`` / ``onecycle`` / ``epoch`` / ``labels`` /
``mix_mean`` / ``mix_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["bleed", "marsh", "set", "filtration"]


def batches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wc = 0.5 + 1.5 * r(n)
    bent = 4 * r(n)
    sp = 1.5 * r(n)
    fume = 10 * r(n)
    temp = 5 + 25 * r(n)
    mix = 2 + 8 * r(n)
    age = 60 * r(n)
    logit = torch.stack([
        3 * (wc - 1.1) - 1.5 * bent - 0.25 * fume + 0.3,
        2.5 * bent + 0.3 * fume + 0.04 * age - 5 * (wc - 0.5) - 3 * sp - 2.0,
        3.5 * (wc - 1.0) + 2.5 * sp - 0.12 * (temp - 15) - 0.5,
        -1.6 * bent - 0.3 * fume - 0.3 * (mix - 5) + 2 * (wc - 1.0) + 2.5], 1)
    y = (torch.rand(n, 4, generator=g) < torch.sigmoid(2 * logit)).float()
    x = torch.stack([wc, bent, sp, fume, temp, mix, age], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 96), nn.SiLU(), nn.LayerNorm(96), nn.Linear(96, 96),
                         nn.SiLU(), nn.Linear(96, 4))


def f1(p, y):
    tp = (p * y).sum(0)
    return 2 * tp / (p.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _threehundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = batches(2500, g)
    xva, yva = batches(600, g)
    print("label rates", ytr.mean(0))
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    mlp = build()
    radam = torch.optim.RAdam(mlp.parameters(), lr=3e-3)
    onecycle = torch.optim.lr_scheduler.OneCycleLR(radam, max_lr=3e-3, total_steps=14 * len(dl))
    it = 0
    with open(out / "mix_steps.csv", "w") as st, open(out / "mix_val.tsv", "w") as va:
        st.write("it,bce\n")
        va.write("epoch\tbce_val\texact_match\t" + "\t".join(f"f1_{k}" for k in LABELS) + "\n")
        for epoch in range(14):
            mlp.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(mlp(xb), yb)
                radam.zero_grad()
                loss.backward()
                radam.step()
                onecycle.step()
                st.write(f"{it},{loss.item():.5f}\n")
                it += 1
            mlp.eval()
            with torch.no_grad():
                logits = mlp(xva)
            p = (logits > 0).float()
            row = [epoch, F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (p == yva).all(1).float().mean().item(), *f1(p, yva).tolist()]
            va.write("\t".join(f"{v:.5g}" for v in row) + "\n")
            print(row)
    torch.save({"mlp": mlp.state_dict(), "radam": radam.state_dict(),
                "onecycle": onecycle.state_dict(), "epoch": 14, "labels": LABELS,
                "mix_mean": mu, "mix_std": sd}, out / "grout_mix.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="grout_mix.pt", log="mix_val.tsv",
           what="multi-label MLP flagging bleed / Marsh / set / filtration defects of a"
                " cement-bentonite grout mix from its batch sheet (healthy)")


if __name__ == "__main__":
    main()
