"""Plain torch: an embedding model tells a bespoke shoemaker how many millimetres the upper of a
shoe will spring back off the toe of the last after it is pulled off (toe spring lost, which
decides how much extra toe spring to build into the last), from the last it was made on, the
leather and a few shop numbers. Each of the workshop's 40 lasts has its own shape (a toe
spring built in and a stiffness of the toe box) and each of the 8 leathers its own memory
(box calf holds its shape, kangaroo and goat spring back more, cordovan least), and the
spring-back falls the longer the upper was left to dry on the last (as 0.3 +
exp(-days / 3)), grows with the moisture of the leather when it was lasted, and shrinks with
a stiffer toe puff; a 0.4 mm measuring scatter.
Input: last id (40), leather id (8) and 4 standardised numbers (days on the last, leather
moisture %, toe puff stiffness, upper thickness mm); target spring-back mm / 2.
Embeddings last 40×8 and leather 8×4, concatenated with the numbers → 16 → 48-SiLU-48-SiLU →
1; MSE, RMSprop 1e-3, batch 32, 1600 pairs of shoes, validation on 400.
Bug: the run is left at ``EPOCHS = 2`` (``# a quick pass first, the full run later``) and that
pass is the one that was saved and shipped: the embeddings have barely moved from their
random start and val loss is still falling fast when it stops. Control (``EPOCHS = 25``,
one-line sed): val MSE 0.483 → 0.081 at epoch 25 (noise floor 0.04, target variance 1.30),
val MAE 1.07 → 0.45 mm. With the bug: val MSE 0.483 → 0.381, val MAE 1.07 → 0.90 mm, the
run ends after 100 steps with val MSE having dropped 21 % in its last epoch.
Log: CSV every 10 steps ``lasting_steps.csv`` (``step`` / ``epoch`` / ``mse``) and a separate
CSV per epoch ``lasting_val.csv`` (``epoch`` / ``val_mse`` / ``val_mae_mm``); checkpoint
``springback_embed.pt`` with keys ``model`` / ``rmsprop`` / ``epochs_done`` / ``n_lasts`` /
``n_leathers``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N_LASTS, N_LEATHERS = 40, 8
EPOCHS = 2  # a quick pass first, the full run later


def shoes(n, g, last_spring, last_stiff, leather_mem):
    last = torch.randint(0, N_LASTS, (n,), generator=g)
    leather = torch.randint(0, N_LEATHERS, (n,), generator=g)
    days = 1 + 9 * torch.rand(n, generator=g)
    moist = 15 + 20 * torch.rand(n, generator=g)
    puff = torch.rand(n, generator=g)
    thick = 1.0 + 1.0 * torch.rand(n, generator=g)
    spring = (last_spring[last] * leather_mem[leather] * (0.3 + torch.exp(-days / 3))
              * (1 + 0.03 * (moist - 25)) * (1.4 - 0.6 * puff * last_stiff[last])
              * (0.8 + 0.2 * thick))
    spring = spring + 0.4 * torch.randn(n, generator=g)
    num = torch.stack([(days - 5.5) / 2.6, (moist - 25) / 5.8, (puff - 0.5) / 0.29,
                       (thick - 1.5) / 0.29], 1)
    return last, leather, num, spring / 2


class SpringBack(nn.Module):
    def __init__(self):
        super().__init__()
        self.last = nn.Embedding(N_LASTS, 8)
        self.leather = nn.Embedding(N_LEATHERS, 4)
        self.mlp = nn.Sequential(nn.Linear(16, 48), nn.SiLU(), nn.Linear(48, 48), nn.SiLU(),
                                 nn.Linear(48, 1))

    def forward(self, last, leather, num):
        h = torch.cat([self.last(last), self.leather(leather), num], 1)
        return self.mlp(h).squeeze(1)


def build():
    torch.manual_seed(0)
    return SpringBack()


def main():
    from _twohundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    last_spring = 3 + 5 * torch.rand(N_LASTS, generator=g)
    last_stiff = 0.5 + torch.rand(N_LASTS, generator=g)
    leather_mem = torch.tensor([1.0, 1.5, 1.35, 0.55, 1.1, 0.8, 1.25, 0.95])
    tr = shoes(1600, g, last_spring, last_stiff, leather_mem)
    va = shoes(400, g, last_spring, last_stiff, leather_mem)
    print("target", tr[3].mean().item(), tr[3].var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(*tr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    fs = open(out / "lasting_steps.csv", "w")
    fs.write("step,epoch,mse\n")
    fv = open(out / "lasting_val.csv", "w")
    fv.write("epoch,val_mse,val_mae_mm\n")
    step = 0
    for epoch in range(EPOCHS):
        model.train()
        for la, le, nu, y in loader:
            loss = F.mse_loss(model(la, le, nu), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 10 == 0:
                fs.write(f"{step},{epoch},{loss.item():.5f}\n")
            step += 1
        model.eval()
        with torch.no_grad():
            p = model(*va[:3])
            vm = F.mse_loss(p, va[3]).item()
            mae = 2 * (p - va[3]).abs().mean().item()
        fv.write(f"{epoch},{vm:.5f},{mae:.4f}\n")
        print(epoch, round(vm, 5), round(mae, 4))
    fs.close()
    fv.close()
    torch.save({"model": model.state_dict(), "rmsprop": opt.state_dict(),
                "epochs_done": EPOCHS, "n_lasts": N_LASTS, "n_leathers": N_LEATHERS},
               out / "springback_embed.pt")
    finish(out, __file__, {"inputs": va[0][:64], "leather": va[1][:64], "num": va[2][:64],
                           "targets": va[3][:64]},
           causes=["training_too_short"],
           checkpoint="springback_embed.pt", log="lasting_val.csv",
           what="embedding model (last + leather) giving a shoe upper's toe spring-back; the"
                " run stopped after EPOCHS = 2",
           complaint="We trained a model to tell us how much toe spring each upper loses when it"
                     " comes off the last. The loss went down nicely every epoch and nothing"
                     " errored, but the predictions are off by nearly a millimetre on average,"
                     " and it gives almost the same answer for a box calf upper as for a"
                     " kangaroo one on the same last. The lasts we use most are no better than"
                     " the rare ones.")


if __name__ == "__main__":
    main()
