"""Plain torch: a deep MLP flags, from a foam cushion's compression test, the three things an
upholsterer's customers come back about (multi-label): the seat is too firm (25 % indentation
force deflection, ILD25, above 180 N), it gives poor support and bottoms out (support factor
ILD65 / ILD25 below 2.0), or it has gone tired (hysteresis loss at 40 % above 0.35, the
unloading force well under the loading force). Polyurethane foam curve: a linear elastic
start up to 8 % strain, a cell-buckling plateau whose height is set by density and
formulation and that rises slowly, then densification from an onset strain (45-70 %) on, the
force climbing as (1 - strain / lock-up)^-2.5; the unloading curve sits below by the
hysteresis; load-cell noise 2 %. Inputs: log force at 5 %, 10 %, ... 75 % on loading (15),
log force at 25 / 40 / 60 % on unloading (3) and density (kg/m³), 19 features standardised
with the train mean / std. Model: 19→64, then 5 more 64→64 layers, sigmoid after each,
→3 logits; BCEWithLogitsLoss, SGD 0.1 momentum 0.9, batch 64, 40 epochs, 2400 cushions,
validation on 600.
The bug: the layers are joined with ``nn.Sigmoid`` (``act = nn.Sigmoid``, a smooth squash
between the layers); six sigmoid layers deep with PyTorch's default init, each one
multiplies the back-propagated gradient by at most 0.25, and the first layer's weights get
about 1e-5 of the last layer's gradient (mean |grad| 6e-8 to 1e-7 against 6e-3 to 1e-2):
the net learns only the base rates of the three complaints, val BCE 0.690 → 0.692 (ln 2 =
0.693, the three rates are 0.43-0.52), F1 per complaint 0 or 0.66 (everything flagged)
from epoch to epoch, "tired" never found (control, ``act = nn.ReLU``: val BCE 0.686 →
0.062, F1 firm / support / tired 0.995 / 0.985 / 0.947).
Log: a CSV per epoch ``foam_epochs.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``f1_firm`` / ``f1_support`` / ``f1_tired`` / ``grad_first`` / ``grad_last``, the mean
absolute gradient of the first and last Linear weights at the last step); checkpoint
``foam_grader.pth`` with keys ``weights`` / ``sgd_state`` / ``epoch`` / ``feat_mean`` /
``feat_std`` / ``labels``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STRAIN = torch.arange(1, 16).float() * 0.05
LABELS = ["too_firm", "poor_support", "tired"]


def force(eps, plateau, slope, onset, hyst=0.0):
    lin = torch.clamp(eps / 0.08, max=1.0)
    plat = plateau * (1 + slope * eps)
    dens = torch.clamp((1 - onset) / torch.clamp(1 - eps, min=0.05), min=1.0) ** 2.5
    return lin * plat * dens * (1 - hyst)


def cushions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    density = 20 + 30 * r(n, 1)
    plateau = (density / 35) ** 1.5 * (110 + 90 * r(n, 1))
    slope = 0.3 + 0.8 * r(n, 1)
    onset = 0.45 + 0.25 * r(n, 1)
    hyst = 0.15 + 0.35 * r(n, 1)
    noise = lambda k: torch.exp(0.02 * torch.randn(n, k, generator=g))  # noqa: E731
    load = force(STRAIN, plateau, slope, onset) * noise(15)
    ue = torch.tensor([0.25, 0.40, 0.60])
    unload = force(ue, plateau, slope, onset, hyst * (1 - ue)) * noise(3)
    ild25 = force(torch.tensor(0.25), plateau, slope, onset)
    ild65 = force(torch.tensor(0.65), plateau, slope, onset)
    y = torch.cat([ild25 > 180, ild65 / ild25 < 2.0, hyst > 0.35], 1)
    x = torch.cat([load.log(), unload.log(), density], 1)
    return x, y.float()


class FoamNet(nn.Module):
    def __init__(self, depth=6, width=64):
        super().__init__()
        act = nn.Sigmoid  # smooth squash between the layers
        layers = [nn.Linear(19, width), act()]
        for _ in range(depth - 1):
            layers += [nn.Linear(width, width), act()]
        layers.append(nn.Linear(width, 3))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return FoamNet()


def f1(pred, y):
    tp = (pred * y).sum(0)
    return (2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)).tolist()


def main():
    from _threehundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = cushions(2400, g)
    rva, yva = cushions(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("label rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    lins = [m for m in model.modules() if isinstance(m, nn.Linear)]
    with open(out / "foam_epochs.csv", "w") as log:
        log.write("epoch,train_bce,val_bce,f1_firm,f1_support,f1_tired,grad_first,grad_last\n")
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            gf, gl = lins[0].weight.grad.abs().mean().item(), lins[-1].weight.grad.abs().mean().item()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            vb = F.binary_cross_entropy_with_logits(logits, yva).item()
            fs = f1((logits > 0).float(), yva)
            row = [tot / len(xtr), vb] + fs + [gf, gl]
            log.write(f"{epoch}," + ",".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 40,
                "feat_mean": mean, "feat_std": std, "labels": LABELS}, out / "foam_grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="foam_grader.pth", log="foam_epochs.csv",
           what="deep sigmoid MLP flagging too-firm / poor-support / tired foam cushions from"
                " the compression test (multi-label); gradients vanish through 8 sigmoid layers",
           complaint="My cushion complaint classifier will not learn. 40 epochs and the training"
                     " loss is still 0.690, the validation BCE 0.69 the whole time, and the"
                     " predictions are either all yes or all no for each of the three"
                     " complaints (F1 jumps between 0 and 0.66). The data is standardised and"
                     " the labels check out, I tried more epochs already.")


if __name__ == "__main__":
    main()
