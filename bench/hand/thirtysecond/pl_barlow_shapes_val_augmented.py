"""PyTorch Lightning: Barlow Twins self-supervised pre-training (Zbontar et al. 2021) on
synthetic 20×20 colour images of 5 shapes (disc, square, triangle, cross, ring) of random
colour, size and position on a noisy background. Two random views of each image (random
resized crop with scale 0.15–1, horizontal flip, per-channel colour gain, brightness, random
greyscale, pixel noise) go through a small BatchNorm CNN backbone (16-32-64 channels, global
average pool) and a projector (64 → 128 → 128); the loss is Barlow Twins' cross-correlation
loss (diagonal to 1, off-diagonal to 0, λ = 5e-3). Every second epoch a linear probe (ridge
regression on one-hot labels, in closed form) is fitted on the frozen features of the 1300
training images (validation loader 0, the deterministic ``eval_transform``) and scored on 400
held-out images (validation loader 1): ``probe_fit_acc``, ``val_probe_acc``,
``val_probe_mse``; the probe's weights are kept in the model (``forward`` = probe ∘ backbone).
Adam 2e-3, batch 128, 12 epochs, ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``.
Bug: the validation dataset is built with ``transform=train_transform`` (copied from the
line above it) instead of ``eval_transform``: every validation image is randomly cropped,
flipped, recoloured and noised afresh at each validation pass, so the probe fitted on clean
training images is judged on augmented views."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, SHAPES = 20, ("disc", "square", "triangle", "cross", "ring")
MEAN, STD = 0.3, 0.3


def draw(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, len(SHAPES), (n,), generator=g)
    img = 0.1 * torch.rand(n, 3, S, S, generator=g)
    for i in range(n):
        r = 4 + 2.5 * float(torch.rand(1, generator=g))
        cx, cy = (r + (S - 2 * r) * torch.rand(2, generator=g)).tolist()
        dx, dy = xx - cx, yy - cy
        k = int(y[i])
        if k == 0:
            m = dx ** 2 + dy ** 2 < r ** 2
        elif k == 1:
            m = (dx.abs() < 0.8 * r) & (dy.abs() < 0.8 * r)
        elif k == 2:
            m = (dy < 0.8 * r) & (dy > 1.8 * dx.abs() - r)
        elif k == 3:
            m = ((dx.abs() < 0.3 * r) | (dy.abs() < 0.3 * r)) & (dx.abs() < r) & (dy.abs() < r)
        else:
            d2 = dx ** 2 + dy ** 2
            m = (d2 < r ** 2) & (d2 > (0.55 * r) ** 2)
        colour = 0.3 + 0.7 * torch.rand(3, 1, 1, generator=g)
        img[i] = torch.where(m, colour, img[i])
    return img, y


def eval_transform(img):
    return (img - MEAN) / STD


def train_transform(img):
    """One random view of one (3, S, S) image (torch's global RNG, seeded by Lightning)."""
    scale = 0.15 + 0.85 * torch.rand(1)
    side = scale.sqrt()
    shift = (1 - side) * (2 * torch.rand(2) - 1)
    flip = 1.0 if torch.rand(1) < 0.5 else -1.0
    theta = torch.tensor([[side.item() * flip, 0.0, shift[0].item()],
                          [0.0, side.item(), shift[1].item()]])
    grid = F.affine_grid(theta[None], [1, 3, S, S], align_corners=False)
    v = F.grid_sample(img[None], grid, align_corners=False, padding_mode="border")[0]
    v = v * (0.6 + 0.8 * torch.rand(3, 1, 1)) + 0.2 * (torch.rand(1) - 0.5)
    if torch.rand(1) < 0.2:
        v = v.mean(0, keepdim=True).expand(3, -1, -1)
    v = v + 0.05 * torch.randn_like(v)
    return eval_transform(v)


class TwoViews:
    def __init__(self, transform):
        self.transform = transform

    def __call__(self, img):
        return torch.stack([self.transform(img), self.transform(img)])


class Shapes(torch.utils.data.Dataset):
    def __init__(self, x, y, transform):
        self.x, self.y, self.transform = x, y, transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.transform(self.x[i]), self.y[i]


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU())


class BarlowTwins(L.LightningModule):
    def __init__(self, proj=128, lambd=5e-3, lr=2e-3, ridge=1e-2):
        super().__init__()
        self.save_hyperparameters()
        self.backbone = nn.Sequential(block(3, 16), nn.MaxPool2d(2), block(16, 32),
                                      nn.MaxPool2d(2), block(32, 64),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.projector = nn.Sequential(nn.Linear(64, proj, bias=False), nn.BatchNorm1d(proj),
                                       nn.ReLU(), nn.Linear(proj, proj))
        self.bn = nn.BatchNorm1d(proj, affine=False)
        self.probe = nn.Linear(64, len(SHAPES))  # refitted in closed form at each validation
        self.probe.requires_grad_(False)
        self.feats = {0: [], 1: []}

    def forward(self, x):
        return self.probe(self.backbone(x))

    def barlow(self, z1, z2):
        c = self.bn(z1).T @ self.bn(z2) / len(z1)
        on = (torch.diagonal(c) - 1).pow(2).sum()
        off = c.pow(2).sum() - torch.diagonal(c).pow(2).sum()
        return on + self.hparams.lambd * off

    def training_step(self, batch, _):
        views, _ = batch
        z1 = self.projector(self.backbone(views[:, 0]))
        z2 = self.projector(self.backbone(views[:, 1]))
        loss = self.barlow(z1, z2)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _, dataloader_idx=0):
        x, y = batch  # loader 0: the training images (probe fit), loader 1: validation
        self.feats[dataloader_idx].append((self.backbone(x), y))

    def on_validation_epoch_end(self):
        fx, fy = (torch.cat(t) for t in zip(*self.feats[0], strict=True))
        vx, vy = (torch.cat(t) for t in zip(*self.feats[1], strict=True))
        self.feats = {0: [], 1: []}
        ones = torch.ones(len(fx), 1)
        a = torch.cat([fx, ones], 1)
        target = F.one_hot(fy, len(SHAPES)).float()
        w = torch.linalg.solve(a.T @ a + self.hparams.ridge * len(a) * torch.eye(a.shape[1]),
                               a.T @ target)
        self.probe.weight.copy_(w[:-1].T)
        self.probe.bias.copy_(w[-1])
        fit, val = self.probe(fx), self.probe(vx)
        self.log("probe_fit_acc", (fit.argmax(1) == fy).float().mean())
        self.log("val_probe_mse", F.mse_loss(val, F.one_hot(vy, len(SHAPES)).float()))
        self.log("val_probe_acc", (val.argmax(1) == vy).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam([p for p in self.parameters() if p.requires_grad],
                                lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return BarlowTwins()


def main():
    from _thirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = draw(1700, g)
    train_ds = Shapes(x[:1300], y[:1300], transform=TwoViews(train_transform))
    fit_ds = Shapes(x[:1300], y[:1300], transform=eval_transform)
    val_ds = Shapes(x[1300:], y[1300:], transform=train_transform)
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(train_ds, batch_size=128, shuffle=True, drop_last=True)
    fit = torch.utils.data.DataLoader(fit_ds, batch_size=650)
    val = torch.utils.data.DataLoader(val_ds, batch_size=400)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="barlow"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        check_val_every_n_epoch=2, num_sanity_val_steps=0,
                        enable_model_summary=False)
    trainer.fit(build(), train, [fit, val])
    bx, by = next(iter(val))
    finish(out, __file__, (bx[:128], by[:128]), causes=["eval_data_augmented"],
           checkpoint="barlow/version_0/checkpoints/last.ckpt",
           log="barlow/version_0/metrics.csv",
           what="Lightning Barlow Twins, online linear probe judged on randomly augmented "
                "validation images",
           complaint="Barlow Twins on my shapes: the pre-training loss keeps going down (55 to "
                     "22) and the linear probe fits the training images at 0.89, but on the 400 "
                     "validation images it only gets 0.45-0.60, and it goes up and down between "
                     "evaluations")


if __name__ == "__main__":
    main()
