"""Hugging Face Trainer: a tiny GraniteMoE-SWA decoder (``GraniteMoeSWAConfig``: vocabulary 24,
48 wide, 2 layers (one full, one sliding-window attention), 4 heads / 2 KV heads, 2 experts with
1 active, built from the config, no download; ``GraniteMoeSWAForCausalLM``) reads a henwife's
laying book and writes tomorrow's entry: one token per hen per day, "no egg" or the egg's
weight in 1.5 g steps from 45 g to 75 g (tokens 4-23; 0 pad, 1 start, 2 end, 3 no egg), 40
days a hen. The rule behind the book is how hens lay: in clutches of 3-8 days on the same
rhythm, then one pause day (sometimes two, 15 %); within a clutch each egg is about 0.6 g
lighter than the last (the first egg of a clutch is the heaviest), the hen's level rises 0.08 g
a day as she matures, and the scales read to about 0.8 g.
AdamW 3e-3 with linear decay and 15 warmup steps, weight decay 0.01, batch 32, 6 epochs of 640
hens, eval every 20 steps (each epoch) on 160 hens (next-entry accuracy, within one step, and
the laid / not-laid call), loss every 5 steps, checkpoint every 20 steps
(``layingbook/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import GraniteMoeSWAConfig, GraniteMoeSWAForCausalLM, Trainer, TrainingArguments

DAYS = 40
NO_EGG = 3


def books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    clutch = 3 + (r(n) * 6).floor().long()
    level = 52 + 14 * r(n)
    day0 = (r(n) * 8).floor().long()
    rows = []
    for i in range(n):
        row, k, rest = [], int(day0[i]) % (int(clutch[i]) + 1), 0
        for d in range(DAYS):
            if rest > 0 or k >= int(clutch[i]):
                row.append(NO_EGG)
                if rest == 0:
                    rest = 2 if r(1).item() < 0.15 else 1
                rest -= 1
                if rest == 0:
                    k = 0
                continue
            w = level[i] + 0.08 * d - 0.6 * k + 0.8 * torch.randn(1, generator=g).item()
            row.append(4 + int(min(max((w - 45) / 1.5, 0), 19)))
            k += 1
        rows.append([1] + row)
    return torch.tensor(rows)


class Book(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = GraniteMoeSWAConfig(vocab_size=24, hidden_size=48, intermediate_size=64,
                                 num_hidden_layers=2, num_attention_heads=4,
                                 num_key_value_heads=2, num_local_experts=2,
                                 num_experts_per_tok=1, max_position_embeddings=DAYS + 8,
                                 sliding_window=8, pad_token_id=0, bos_token_id=1,
                                 eos_token_id=2)
    return GraniteMoeSWAForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    laid_p, laid_y = p != NO_EGG, y != NO_EGG
    both = laid_p & laid_y
    return {"next_acc": float((p == y).mean()),
            "within_one_step": float(((abs(p - y) <= 1) & (laid_p == laid_y)).mean()),
            "laid_call_acc": float((laid_p == laid_y).mean()),
            "weight_mae_g": float((1.5 * abs(p - y))[both].mean())}


def main():
    from _fourhundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = books(640, g)
    iva = books(160, g)
    print("no-egg share", (itr[:, 1:] == NO_EGG).float().mean().item())
    args = TrainingArguments(str(out / "layingbook"), num_train_epochs=6, learning_rate=3e-3,
                             warmup_steps=15, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=20, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Book(itr),
                      eval_dataset=Book(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "layingbook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GraniteMoE-SWA decoder writing the next day of a henwife's laying book"
                " (no egg / egg weight), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
