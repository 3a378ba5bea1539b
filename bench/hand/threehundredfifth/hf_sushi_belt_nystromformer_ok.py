"""Hugging Face Trainer: a tiny Nystromformer token classifier (``NystromformerConfig``:
vocabulary 12, 48 wide, 2 layers, 4 heads, 32 landmarks = the sequence length, built from the
config, no download; ``NystromformerForTokenClassification``) reads the plate log of a
conveyor-belt sushi bar plate by plate and marks the plates the chef should pull off the belt
before they go stale. Each plate is one token: 5 toppings (salmon, tuna, egg, cucumber roll,
shrimp) × taken or not taken at the camera, tokens 2-11. A plate not taken is to be pulled
when 2 or more of the 4 plates of the same topping just before it on the belt also went
round untaken (the topping is over-supplied, the guests are not eating it). Laps of 32
plates; each shift's guests have their favourites (a topping mix drawn per lap) and take
20-70 % of the plates.
AdamW 2e-3 with cosine decay and 12 warmup steps, weight decay 0.01, batch 32, 4 epochs of
800 laps, eval every 25 steps on 200 laps (token accuracy, share of plates to pull found),
loss every 5 steps, checkpoint every 25 steps (``belt/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    NystromformerConfig,
    NystromformerForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 32


def laps(n, g):
    mix = torch.rand(n, 5, generator=g) * 3
    top = torch.multinomial(torch.softmax(mix, 1), T, replacement=True, generator=g)
    appetite = 0.2 + 0.5 * torch.rand(n, 1, generator=g)
    taken = (torch.rand(n, T, generator=g) < appetite).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        for k in range(T):
            if taken[i, k]:
                continue
            prev = [j for j in range(k - 1, -1, -1) if top[i, j] == top[i, k]][:4]
            lab[i, k] = int(sum(1 - taken[i, j].item() for j in prev) >= 2)
    return 2 + top * 2 + taken, lab


class Laps(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NystromformerConfig(vocab_size=12, hidden_size=48, num_hidden_layers=2,
                                 num_attention_heads=4, intermediate_size=96,
                                 max_position_embeddings=T + 4, segment_means_seq_len=T,
                                 num_landmarks=T, hidden_dropout_prob=0.0,
                                 attention_probs_dropout_prob=0.0, num_labels=2, pad_token_id=0)
    return NystromformerForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "pull_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = laps(800, g)
    iva, lva = laps(200, g)
    print("pull share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "belt"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Laps(itr, ltr),
                      eval_dataset=Laps(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "belt").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nystromformer token classifier marking the plates a conveyor-belt sushi"
                " bar should pull, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
