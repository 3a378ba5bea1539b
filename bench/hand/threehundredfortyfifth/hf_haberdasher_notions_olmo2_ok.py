"""Hugging Face Trainer: a tiny OLMo-2 decoder (``Olmo2Config``: vocabulary 43, 48 wide, 2
layers, 4 heads, built from the config, no download; ``Olmo2ForCausalLM``) writes the notions
list a haberdasher's counter hands over with a dress-making pattern: given the garment, size
and fabric colour it names the thread, the number of buttons, the zip and whether interfacing
goes in. The shop's rules: thread matches the fabric (one customer in ten picks a contrast
colour); buttons by garment (shirt 7, blouse 6, coat 4, skirt and trousers 1, dress 0) and one
more on L / XL shirts, blouses and coats (one customer in eight takes a spare); zip none for
shirt / blouse / coat front-buttoned, 18 cm skirt, 18 cm trousers S-M and 20 cm L-XL, 56 cm
invisible for a dress; interfacing for collared garments (shirt, blouse, coat).
Sequence: ``<s> garment size colour | thread buttons zip interfacing </s>`` (10 tokens); the
loss is on the notions and the end token only (the order's first four are labelled -100).
AdamW 2e-3 with cosine decay and 25 warmup steps, weight decay 0.01, batch 32, 5 epochs of
1600 orders, eval every 50 steps (each epoch) on 400 orders (notions accuracy, whole-list
exact match), loss every 10 steps, checkpoint every 50 steps (``notions_lm/checkpoint-N/``
with ``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import torch
from transformers import Olmo2Config, Olmo2ForCausalLM, Trainer, TrainingArguments

GARMENTS = ["shirt", "blouse", "dress", "skirt", "trousers", "coat"]
BUTTONS = torch.tensor([7, 6, 0, 1, 1, 4])
COLLAR = torch.tensor([1, 1, 0, 0, 0, 1])
G0, S0, C0, SEP, T0, B0, Z0, I0 = 4, 10, 14, 3, 20, 26, 36, 41
T = 10


def orders(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    garm = torch.randint(0, 6, (n,), generator=g)
    size = torch.randint(0, 4, (n,), generator=g)
    col = torch.randint(0, 6, (n,), generator=g)
    thread = torch.where(r(n) < 0.1, torch.randint(0, 6, (n,), generator=g), col)
    big = (size >= 2).long()
    btn = BUTTONS[garm] + big * COLLAR[garm]
    btn = btn + (r(n) < 0.125).long() * (BUTTONS[garm] > 0).long()
    zip_ = torch.zeros(n, dtype=torch.long)  # 0 none, 1 18 cm, 2 20 cm, 3 56 cm invisible
    zip_ = torch.where(garm == 3, 1, zip_)
    zip_ = torch.where(garm == 4, 1 + big, zip_)
    zip_ = torch.where(garm == 2, 3, zip_)
    ids = torch.stack([torch.ones(n, dtype=torch.long), G0 + garm, S0 + size, C0 + col,
                       torch.full((n,), SEP), T0 + thread, B0 + btn, Z0 + zip_,
                       I0 + COLLAR[garm], torch.full((n,), 2)], 1)
    labels = ids.clone()
    labels[:, :5] = -100
    return ids, labels


class Orders(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Olmo2Config(vocab_size=43, hidden_size=48, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                         max_position_embeddings=16, pad_token_id=0, bos_token_id=1,
                         eos_token_id=2, attention_dropout=0.0)
    return Olmo2ForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    m = y != -100
    notion = (p == y) | ~m
    return {"notions_acc": float((p[m] == y[m]).mean()),
            "list_exact": float(notion.all(1).mean())}


def main():
    from _threehundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = orders(1600, g)
    iva, lva = orders(400, g)
    print("garments", torch.bincount(itr[:, 1] - G0).tolist())
    args = TrainingArguments(str(out / "notions_lm"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Orders(itr, ltr),
                      eval_dataset=Orders(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "notions_lm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OLMo-2 decoder writing a haberdasher's notions list (thread, buttons,"
                " zip, interfacing) for a sewing pattern order, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
