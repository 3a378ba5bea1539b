"""Plain torch: an MLP reads one morning's round of a spirulina raceway pond (paddlewheel
culture in Paracas-type alkaline medium) and names the state of the culture, so the farm hand
knows whether to harvest, dilute, dose bicarbonate or drain: 0 = growing well, 1 = light-limited
(too dense: OD680 high, growth stalls, phycocyanin ratio up), 2 = carbon-limited (pH above
10.8, growth stalls), 3 = grazer bloom (rotifers / amoebae: OD falling, dawn oxygen low, foam),
4 = cold stress (water under 20 C, slow growth, pale colour). Ten readings: pH, water temperature,
OD680, the day's change in OD, Secchi-disk depth, dawn dissolved oxygen, afternoon dissolved
oxygen, conductivity, phycocyanin / chlorophyll fluorescence ratio and yesterday's sunshine
hours, each drawn from its state's physics with day-to-day and meter scatter; 15 % of the ponds
sit on the border between two states (their readings halfway).
Linear 10→128-ReLU-128→64-ReLU-64→5, SGD lr 0.02 momentum 0.5, batch 128, 6000 rounds, 16 epochs, validation
on 1500.
The bug: the model ends in ``nn.Softmax(dim=1)  # the app shows the farm hand probabilities``
and the training loss is still ``nn.CrossEntropyLoss()`` on that output, so the loss takes a
second softmax of probabilities.
Result: train cross-entropy 1.599 → 0.998, val cross-entropy 1.583 → 0.991 (never below
0.99), val accuracy 0.608 → 0.795 at epoch 7 → 0.933; the loss is still falling slowly at the
end.
Control (the ``nn.Softmax`` line deleted, probabilities taken with softmax only in the app):
train cross-entropy 1.324 → 0.182, val cross-entropy 0.931 → 0.173, val accuracy 0.854 → 0.937 at epoch 7 → 0.939.
Log: CSV per epoch ``pond_epochs.csv`` (``epoch`` / ``train_ce`` / ``train_acc``) and a
separate validation CSV ``pond_val.csv`` (``epoch`` / ``val_ce`` / ``val_acc``); checkpoint
``raceway_mlp.pt`` with keys ``model_state`` / ``optim_state`` / ``mu`` / ``sigma`` /
``states``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

STATES = ["growing", "light_limited", "carbon_limited", "grazers", "cold"]
#                 pH    T    OD   dOD  secchi DOdawn DOpm  cond  PC/chl sun
CENTRE = torch.tensor([
    [10.1, 30.0, 0.80, 0.10, 3.0, 6.0, 16.0, 20.0, 1.00, 8.0],
    [10.4, 30.0, 1.60, 0.02, 1.5, 4.5, 18.0, 20.0, 1.35, 8.0],
    [11.0, 30.0, 0.90, 0.01, 2.8, 6.5, 19.0, 17.0, 1.00, 8.0],
    [9.9, 29.0, 0.60, -0.12, 4.0, 2.5, 10.0, 21.0, 0.90, 7.0],
    [10.0, 17.0, 0.70, 0.02, 3.2, 7.5, 12.0, 20.0, 0.75, 5.0]])
SPREAD = torch.tensor([0.25, 2.5, 0.30, 0.05, 0.8, 1.2, 3.0, 2.0, 0.15, 2.5])


def rounds(n, g):
    k = torch.randint(0, 5, (n,), generator=g)
    other = torch.randint(0, 5, (n,), generator=g)
    border = torch.rand(n, generator=g) < 0.15
    c = torch.where(border[:, None], 0.55 * CENTRE[k] + 0.45 * CENTRE[other], CENTRE[k])
    x = c + SPREAD * torch.randn(n, 10, generator=g)
    return x, k


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 5),
                         nn.Softmax(dim=1))  # the app shows the farm hand probabilities


def main():
    from _twohundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rounds(6000, g)
    xva, yva = rounds(1500, g)
    mu, sigma = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sigma, (xva - mu) / sigma
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.5)
    with open(out / "pond_epochs.csv", "w") as ft, open(out / "pond_val.csv", "w") as fv:
        ft.write("epoch,train_ce,train_acc\n")
        fv.write("epoch,val_ce,val_acc\n")
        for epoch in range(1, 17):
            model.train()
            tot, hit, n = 0.0, 0, 0
            for xb, yb in loader:
                out_b = model(xb)
                loss = crit(out_b, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (out_b.argmax(1) == yb).sum().item()
                n += len(xb)
            model.eval()
            with torch.no_grad():
                ov = model(xva)
                vl = crit(ov, yva).item()
                va = (ov.argmax(1) == yva).float().mean().item()
            print(epoch, round(tot / n, 5), round(hit / n, 4), round(vl, 5), round(va, 4))
            ft.write(f"{epoch},{tot / n:.5f},{hit / n:.4f}\n")
            fv.write(f"{epoch},{vl:.5f},{va:.4f}\n")
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "mu": mu,
                "sigma": sigma, "states": STATES}, out / "raceway_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_input_wrong"],
           checkpoint="raceway_mlp.pt", log="pond_val.csv",
           what="MLP naming spirulina raceway culture state, softmax output fed to CrossEntropyLoss",
           complaint=("The pond-state classifier for our spirulina raceways learns very slowly: "
                      "for the first seven epochs it is stuck below 80 % on validation while the "
                      "readings separate the states easily, and the cross-entropy never gets below "
                      "about 1.0, even at the end when the accuracy is 93 %. Why is the loss so high "
                      "when it is mostly right?"))


if __name__ == "__main__":
    main()
