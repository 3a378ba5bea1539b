"""Hugging Face Trainer: a tiny FlauBERT token classifier (``FlaubertConfig``: vocabulary
12, 48 wide, 2 layers, 4 heads, no language embeddings, built from the config, no
download; ``FlaubertForTokenClassification``, bidirectional, layer norm after each
sublayer) reads a winter aerial moose survey transect flown by helicopter over fresh snow
and marks the survey cells that get a second, low, intensive pass (moose likely bedded
there). Each cell is one token: habitat (willow riparian, young burn, mature conifer,
open bog) × fresh tracks seen from the first pass or not, tokens 2-9. A cell gets a
second pass when it has tracks in willow or young burn (browse), or tracks in conifer
with tracks in a neighbouring willow / burn cell (a moose that moved into cover to bed);
tracks on open bog never (crossing). Transects of 28 cells; habitat comes in patches (a
Markov chain that mostly stays), tracks are likelier in browse habitat.
AdamW 3e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch 25, 4 epochs
of 750 transects, eval every 30 steps on 250 transects (token accuracy, share of
second-pass cells found), loss every 6 steps, checkpoint every 30 steps
(``transects/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import FlaubertConfig, FlaubertForTokenClassification, Trainer, TrainingArguments

T = 28
WILLOW, BURN, CONIFER, BOG = 0, 1, 2, 3


def transects(n, g):
    hab = torch.zeros(n, T, dtype=torch.long)
    cur = torch.randint(0, 4, (n,), generator=g)
    for k in range(T):
        move = torch.rand(n, generator=g) < 0.25
        cur = torch.where(move, torch.randint(0, 4, (n,), generator=g), cur)
        hab[:, k] = cur
    p_track = torch.tensor([0.55, 0.45, 0.3, 0.2])[hab]
    tracks = (torch.rand(n, T, generator=g) < p_track).long()
    browse = ((hab == WILLOW) | (hab == BURN)).long() * tracks
    nb = torch.zeros_like(browse)
    nb[:, 1:] |= browse[:, :-1]
    nb[:, :-1] |= browse[:, 1:]
    lab = (browse == 1) | ((hab == CONIFER) & (tracks == 1) & (nb == 1))
    return 2 + hab * 2 + tracks, lab.long()


class Transects(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FlaubertConfig(vocab_size=12, emb_dim=48, n_layers=2, n_heads=4, dropout=0.0,
                            attention_dropout=0.0, max_position_embeddings=T + 4,
                            use_lang_emb=False, n_langs=1, causal=False, num_labels=2,
                            pad_index=1, pre_norm=False, layerdrop=0.0)
    return FlaubertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "second_pass_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = transects(750, g)
    iva, lva = transects(250, g)
    print("second-pass share", ltr.float().mean().item())
    args = TrainingArguments(str(out / "transects"), num_train_epochs=4, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=25, per_device_eval_batch_size=250,
                             logging_steps=6, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Transects(itr, ltr),
                      eval_dataset=Transects(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "transects").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny FlauBERT token classifier marking the cells of a winter aerial moose"
                " survey transect that get a second, intensive pass, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
